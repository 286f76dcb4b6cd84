import { EventFanOut } from '../../memory-adapters';
import type { LifecycleEvent } from '../../ports';
import type { Notification } from './notification';

/** Notifications and their delivery status; each write carries its lifecycle event. */
export abstract class NotificationStore {
  abstract add(notification: Notification, event: LifecycleEvent): Promise<Notification>;
  abstract save(notification: Notification, event: LifecycleEvent | null): Promise<Notification>;
  abstract find(mediator: string, id: string): Promise<Notification | null>;
}

export class InMemoryNotificationStore extends NotificationStore {
  private readonly notifications = new Map<string, Notification>();

  constructor(readonly events = new EventFanOut()) {
    super();
  }

  async add(notification: Notification, event: LifecycleEvent): Promise<Notification> {
    return this.save(notification, event);
  }

  async save(notification: Notification, event: LifecycleEvent | null): Promise<Notification> {
    this.notifications.set(`${notification.mediator}\u0000${notification.id}`, notification);
    if (event) this.events.emit(event);
    return notification;
  }

  async find(mediator: string, id: string): Promise<Notification | null> {
    return this.notifications.get(`${mediator}\u0000${id}`) ?? null;
  }
}
