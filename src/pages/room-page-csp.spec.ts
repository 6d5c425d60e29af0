import { roomPageCsp } from './room-page-csp.js';

const directives = (csp: string) => Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

describe('roomPageCsp', () => {
  it('allows our scripts only (no inline) with a relative widget URL', () => {
    const csp = directives(roomPageCsp('/assets/convai-widget.js'));
    expect(csp['script-src']).toEqual(["'self'", 'blob:', 'https://cdn.jsdelivr.net']);
    expect(csp['object-src']).toEqual(["'none'"]);
  });

  it('adds the origin (not the path) of an absolute widget URL', () => {
    expect(directives(roomPageCsp('https://unpkg.com/@elevenlabs/convai-widget-embed'))['script-src']).toContain('https://unpkg.com');
  });
});
