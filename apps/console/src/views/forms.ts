import type { ColleagueResponseDto } from '@mediator/client';
import type { ViewContext } from '../context';
import { fieldsOf, h } from '../dom';
import { describeError } from '../session';

/**
 * Send a message and publish an event, as a colleague of the mediator. A colleague-bound token
 * sends only as its colleague (the service answers 403 otherwise), so the sender is fixed then.
 */
export function messageForms(
  ctx: ViewContext,
  mediator: string,
  colleagues: ColleagueResponseDto[],
): HTMLElement {
  const senders = ctx.session.colleague ? [ctx.session.colleague] : colleagues.map((c) => c.id);
  const status = h('p', { class: 'status', role: 'status', 'data-testid': 'form-status' });
  const senderSelect = (name: string) =>
    h(
      'select',
      { name, required: true },
      senders.map((id) => h('option', { value: id }, id)),
    );
  const sendForm = h(
    'form',
    { class: 'card', 'data-testid': 'send-form' },
    h('h3', null, 'Send a message'),
    h('label', null, 'from ', senderSelect('sender_id')),
    h(
      'label',
      null,
      'to ',
      h(
        'select',
        { name: 'recipient_id', required: true },
        colleagues.map((c) => h('option', { value: c.id }, c.id)),
      ),
    ),
    h('label', null, 'type ', h('input', { name: 'type', placeholder: 'order_note' })),
    h(
      'label',
      null,
      'message (JSON or text) ',
      h('textarea', { name: 'message', rows: 3, required: true }),
    ),
    h('button', { type: 'submit' }, 'Send'),
  );
  sendForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = fieldsOf(sendForm);
    void run(status, async () => {
      const envelope = await ctx.session.api.messages.send({
        path: { name: mediator },
        body: {
          sender_id: f.sender_id ?? '',
          recipient_id: f.recipient_id ?? '',
          message: parseLoose(f.message ?? ''),
          ...(f.type ? { type: f.type } : {}),
        },
      });
      return `sent ${envelope.id}`;
    });
  });
  const publishForm = h(
    'form',
    { class: 'card', 'data-testid': 'publish-form' },
    h('h3', null, 'Publish an event'),
    h('label', null, 'from ', senderSelect('sender_id')),
    h(
      'label',
      null,
      'type ',
      h('input', { name: 'type', required: true, placeholder: 'order_paid' }),
    ),
    h('label', null, 'data (JSON or text) ', h('textarea', { name: 'data', rows: 3 })),
    h('button', { type: 'submit' }, 'Publish'),
  );
  publishForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = fieldsOf(publishForm);
    void run(status, async () => {
      const event = await ctx.session.api.events.publish({
        path: { name: mediator },
        body: { sender_id: f.sender_id ?? '', type: f.type ?? '', data: parseLoose(f.data ?? '') },
      });
      return `published ${event.id}`;
    });
  });
  return h('section', { class: 'forms' }, sendForm, publishForm, status);
}

async function run(status: HTMLElement, action: () => Promise<string>): Promise<void> {
  status.className = 'status';
  status.textContent = '…';
  try {
    status.textContent = await action();
  } catch (error) {
    status.className = 'status error';
    status.textContent = describeError(error);
  }
}

/** JSON when it parses, else the text itself (a message may be any JSON value, a string too). */
function parseLoose(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
