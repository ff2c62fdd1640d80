#!/usr/bin/env node
/** `athena-sim`: run the simulator from the command line (filled in by the simulator). */
console.log('athena-sim: not yet built');
