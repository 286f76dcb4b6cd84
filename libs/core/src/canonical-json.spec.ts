import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('gives the same string whatever the key order, at every depth', () => {
    const a = canonicalJson({ b: 1, a: { d: [{ y: 1, x: 2 }], c: null } });
    const b = canonicalJson({ a: { c: null, d: [{ x: 2, y: 1 }] }, b: 1 });
    expect(a).toBe(b);
    expect(a).toBe('{"a":{"c":null,"d":[{"x":2,"y":1}]},"b":1}');
  });

  it('keeps array order and tells different values apart', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
    expect(canonicalJson({ a: '1' })).not.toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson(undefined)).toBe('null');
  });
});
