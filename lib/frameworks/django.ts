/** Django. */
import type { FrameworkSpec } from './plugin.js';
import { DJANGO_RE, match } from './entrypoints.js';
import { gunicorn } from './gunicorn.js';

export const django: FrameworkSpec = {
  label: 'Django',
  web: true,
  defaultPort: 8000,
  defaultEntrypoint: 'mysite',
  entrypointHelp: 'the Django project package (the folder holding wsgi.py) such as mysite, or mysite.wsgi',
  stubPackages: ['django', 'gunicorn'],
  healthPath: '/',
  parseEntrypoint: match(DJANGO_RE),
  command: (entry, port, server) =>
    gunicorn(entry.includes(':') || entry.endsWith('.wsgi') ? entry : `${entry}.wsgi`, port, server),
};
