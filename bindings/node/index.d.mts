// Type declarations for `import ... from 'werun'` (index.mjs): the same as require('werun').
export * from './index.js';
import * as werun from './index.js';
export default werun;
