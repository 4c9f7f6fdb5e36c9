// Public API of segments: the rule schema, validation, the SQL compiler, the in-memory evaluator and dependencies.
export * from './rule.ts';
export { validateSegmentRule, type SegmentValidation, type SegmentValidationContext } from './validate.ts';
export { compileSegment, compileSegmentPredicate, SegmentCycleError, type CompileContext, type CompiledSql, type SegmentLookup } from './compile.ts';
export { evaluateSegment, testPredicate, type CustomerFacts, type EvaluateOptions, type EventFacts, type OrderFacts, type ProfileFacts, type ScoreFacts } from './evaluate.ts';
export { dependencies, type SegmentDependencies } from './dependencies.ts';
export { segmentSqlSchema, type SegmentSqlSchema } from './sql-schema.ts';
export { parseDateString } from './semantics.ts';
