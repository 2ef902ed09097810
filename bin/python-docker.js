#!/usr/bin/env node
// The standalone command; the code lives in dist/lib/cli.js (built from lib/cli.ts).
import { main } from '../dist/lib/cli.js';

await main();
