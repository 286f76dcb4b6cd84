import { type MediatorConfig, DEFAULT_MEDIATOR_CONFIG } from './config';
import { MaxMediatorsReachedError, MediatorNotFoundError, ValidationError } from './errors';
import { UuidV7Generator } from './ids';
import { InMemoryMediatorStore } from './memory-adapters';
import { MEDIATOR_NAME_PATTERN, type MediatorInfo } from './model';
import {
  type Clock,
  type IdGenerator,
  type LifecycleEvent,
  MediatorStore,
  systemClock,
} from './ports';

export interface CreateMediatorInput {
  name: string;
  description?: string;
  maxColleagues?: number;
}

export interface UpdateMediatorInput {
  description?: string;
  maxColleagues?: number;
}

/** Named mediators: creation within `maxMediators`, valid names, updates and removal. */
export class MediatorRegistry {
  readonly config: MediatorConfig;

  constructor(
    config: Partial<MediatorConfig> = {},
    private readonly store: MediatorStore = new InMemoryMediatorStore(),
    private readonly clock: Clock = systemClock,
    private readonly ids: IdGenerator = new UuidV7Generator(),
  ) {
    this.config = { ...DEFAULT_MEDIATOR_CONFIG, ...config };
  }

  async create(input: CreateMediatorInput): Promise<MediatorInfo> {
    if (typeof input.name !== 'string' || !MEDIATOR_NAME_PATTERN.test(input.name)) {
      throw new ValidationError('invalid mediator name', [
        { field: 'name', problem: `must match ${MEDIATOR_NAME_PATTERN}` },
      ]);
    }
    validateMaxColleagues(input.maxColleagues);
    if ((await this.store.count()) >= this.config.maxMediators) {
      throw new MaxMediatorsReachedError(this.config.maxMediators);
    }
    const now = this.clock.now();
    const mediator: MediatorInfo = {
      name: input.name,
      description: input.description ?? '',
      maxColleagues: input.maxColleagues ?? this.config.maxColleagues,
      colleagueCount: 0,
      createdAt: now,
      updatedAt: now,
    };
    return this.store.create(
      mediator,
      this.event('mediator_created', input.name, mediatorEventData(mediator)),
    );
  }

  async get(name: string): Promise<MediatorInfo> {
    const mediator = await this.store.find(name);
    if (!mediator) throw new MediatorNotFoundError(name);
    return mediator;
  }

  async update(name: string, input: UpdateMediatorInput): Promise<MediatorInfo> {
    validateMaxColleagues(input.maxColleagues);
    const current = await this.get(name);
    const next: MediatorInfo = {
      ...current,
      description: input.description ?? current.description,
      maxColleagues: input.maxColleagues ?? current.maxColleagues,
      updatedAt: this.clock.now(),
    };
    return this.store.update(next, this.event('mediator_updated', name, mediatorEventData(next)));
  }

  async remove(name: string): Promise<void> {
    const removed = await this.store.remove(name, this.event('mediator_deleted', name, { name }));
    if (!removed) throw new MediatorNotFoundError(name);
  }

  private event(event: string, mediator: string, data: unknown): LifecycleEvent {
    return { id: this.ids.next(), event, mediator, data, timestamp: this.clock.now() };
  }
}

function validateMaxColleagues(value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
    throw new ValidationError('invalid max_colleagues', [
      { field: 'max_colleagues', problem: 'must be a positive integer' },
    ]);
  }
}

function mediatorEventData(m: MediatorInfo): Record<string, unknown> {
  return { name: m.name, description: m.description, max_colleagues: m.maxColleagues };
}
