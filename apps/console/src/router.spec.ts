import { routeOf } from './router';
import { auditView } from './views/audit';
import { colleagueView } from './views/colleague';
import { mediatorView } from './views/mediator';
import { overviewView } from './views/overview';

describe('routeOf', () => {
  it('maps each hash to its view, with the mediator and colleague it shows', () => {
    expect(routeOf('')).toMatchObject({ view: overviewView, mediator: undefined });
    expect(routeOf('#/m/shop')).toMatchObject({ view: mediatorView, mediator: 'shop' });
    expect(routeOf('#/m/shop/c/web%20shop/msg/m-1?status=acked')).toMatchObject({
      view: colleagueView,
      params: ['shop', 'web shop', 'm-1'],
      mediator: 'shop',
      colleague: 'web shop',
    });
    expect(routeOf('#/audit?outcome=denied')?.query.get('outcome')).toBe('denied');
    expect(routeOf('#/audit')?.view).toBe(auditView);
  });

  it('has no route for an unknown path', () => {
    expect(routeOf('#/nowhere')).toBeUndefined();
  });
});
