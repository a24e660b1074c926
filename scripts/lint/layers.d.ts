import type { Rule } from 'eslint';

declare const layers: { rules: { 'no-upward-import': Rule.RuleModule } };
export default layers;
