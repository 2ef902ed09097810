/**
 * The framework registry: one file per framework (its port, entrypoint shape, stub packages,
 * health path and server command), listed here in the order shown to users.
 */
import { django } from './django.js';
import { fastapi } from './fastapi.js';
import { flask } from './flask.js';
import type { FrameworkSpec } from './plugin.js';
import { streamlit } from './streamlit.js';
import { none } from './none.js';

export { isFactory } from './entrypoints.js';
export type { FrameworkSpec } from './plugin.js';

export const FRAMEWORKS = ['fastapi', 'flask', 'django', 'streamlit', 'none'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export const FRAMEWORK_SPECS: Record<Framework, FrameworkSpec> = { fastapi, flask, django, streamlit, none };
