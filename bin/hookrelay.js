#!/usr/bin/env node
// The installed CLI runs the compiled build (npm install runs `prepare`, which builds dist/).
import { main } from '../dist/cli/main.js';

main(process.argv).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
