import { RateMeter, type ViewContext } from './context';
import { fieldsOf, h, link, replace } from './dom';
import { Live } from './live';
import { routeOf } from './router';
import { describeError, Session } from './session';

/** The console: a sign-in form, then the view of the URL's hash, redrawn when it changes. */
function boot(): void {
  const session = Session.restore();
  if (session) void start(session);
  else signIn();
}

function signIn(message?: string): void {
  const form = h(
    'form',
    { class: 'card sign-in', 'data-testid': 'sign-in' },
    h('h1', null, 'Mediator console'),
    h('p', null, 'Sign in with a token (a JWT from ', h('code', null, 'npm run token'), ').'),
    h(
      'label',
      null,
      'token ',
      h('textarea', { name: 'token', rows: 4, required: true, autocomplete: 'off' }),
    ),
    message ? h('p', { class: 'error' }, message) : null,
    h('button', { type: 'submit' }, 'Sign in'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const session = Session.from(fieldsOf(form).token ?? '');
    if (!session) return signIn('That is not a JWT.');
    session.save();
    void start(session);
  });
  replace(document.body, h('main', { class: 'narrow' }, form));
}

async function start(session: Session): Promise<void> {
  const live = new Live(session);
  const main = h('main');
  const liveState = h('span', { class: 'badge', 'data-testid': 'connection' });
  live.onState((state) => (liveState.textContent = state));
  replace(document.body, header(session, live, liveState), main);
  const ctx: ViewContext = { session, live, main, rates: new RateMeter() };
  await live.start();
  live.on((event) => {
    if (event.event.startsWith('message_')) ctx.rates.count(event.mediator);
  });
  // An unbound token follows every mediator, for the rates; a bound one only its own.
  await live.watch(session.mediator ?? '*');
  let stop: () => void = () => undefined;
  const show = async () => {
    stop();
    stop = () => undefined;
    stop = await render(ctx);
  };
  window.addEventListener('hashchange', () => void show());
  await show();
}

function header(session: Session, live: Live, liveState: HTMLElement): HTMLElement {
  const c = session.claims;
  const home = session.colleague
    ? `#/m/${encodeURIComponent(c.mediator ?? '')}/c/${encodeURIComponent(session.colleague)}`
    : '#/';
  return h(
    'header',
    null,
    h('strong', null, link(home, 'Mediator console')),
    h(
      'nav',
      null,
      session.colleague ? null : link('#/', 'mediators'),
      session.can('audit:read') ? link('#/audit', 'audit') : null,
    ),
    h(
      'span',
      { class: 'who', 'data-testid': 'who' },
      `${c.sub}${session.mediator ? ` @ ${session.mediator}` : ''}${session.colleague ? `/${session.colleague}` : ''} `,
      liveState,
      ' ',
      h('button', { type: 'button', onclick: () => signOut(live) }, 'Sign out'),
    ),
  );
}

function signOut(live: Live): void {
  live.close();
  Session.clear();
  location.hash = '';
  signIn();
}

async function render(ctx: ViewContext): Promise<() => void> {
  const { session, main } = ctx;
  if (session.colleague && (location.hash === '' || location.hash === '#/')) {
    location.hash = `#/m/${encodeURIComponent(session.claims.mediator ?? '')}/c/${encodeURIComponent(session.colleague)}`;
    return () => undefined;
  }
  const route = routeOf(location.hash);
  if (!route) {
    replace(main, h('p', { class: 'error' }, 'No such page.'));
    return () => undefined;
  }
  const allowed = route.colleague
    ? session.mayOpenColleague(route.mediator ?? '', route.colleague)
    : !route.mediator || (session.mayOpenMediator(route.mediator) && !session.colleague);
  if (!allowed) return forbidden(ctx, route.mediator ?? '');
  try {
    return await route.view(ctx, route.params, route.query);
  } catch (error) {
    replace(main, h('p', { class: 'error' }, describeError(error)));
    return () => undefined;
  }
}

/** Outside the token's binding: says so, with the service's own answer to the same question. */
async function forbidden(ctx: ViewContext, mediator: string): Promise<() => void> {
  const answer = h('p', { class: 'error', 'data-testid': 'service-answer' }, '…');
  replace(
    ctx.main,
    h(
      'section',
      { 'data-testid': 'forbidden' },
      h('h1', null, 'Not visible with this token'),
      h(
        'p',
        null,
        `This token is bound to ${ctx.session.claims.mediator ?? '?'}${ctx.session.colleague ? `/${ctx.session.colleague}` : ''}.`,
      ),
      answer,
    ),
  );
  try {
    await ctx.session.api.mediators.get({ path: { name: mediator } });
    answer.textContent = 'the service answered (it may show the mediator, not its colleagues)';
  } catch (error) {
    answer.textContent = `the service says: ${describeError(error)}`;
  }
  return () => undefined;
}

boot();
