export { durationOption, describeValue, CIRCULAR_IMPORT_HINT, type DurationOptionRules } from './option-checks.js';
