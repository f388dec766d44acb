import { escapeMdText } from './src/report/escape.ts';
console.log(escapeMdText('recovers 0.05 [0.04, 0.06] (p = 0.01) on <b> a_b *c* `d` \\'));
