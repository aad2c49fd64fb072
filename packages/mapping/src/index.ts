// Public API of @tributary/mapping. Pure: runs in the browser, in Node and inside the sandbox isolate.
export {
  MappingError,
  isMappingError,
  isMappingErrorCode,
  mappingErrorCodes,
  type MappingErrorCode,
  type MappingErrorKind,
  type MappingErrorOptions,
  type MappingIssue,
  type SerializedMappingError,
} from './errors.ts';
export {
  checkExpression,
  compileMapping,
  createExpressionChecker,
  type CompileOptions,
  type CompileResult,
  type CompiledMapping,
  type EvaluateOptions,
  type ExpressionProblem,
} from './compile.ts';
export { runtimeIssue, type RuntimeIssueOptions } from './runtime-errors.ts';
export { preview, type PreviewOptions, type PreviewResult } from './preview.ts';
export { parseSample, type SampleResult } from './json-sample.ts';
export { positionAt, type TextPosition } from './position.ts';
export { jsonataFunctionNames } from './functions.ts';
export {
  libraryDocs,
  libraryFunctionNames,
  libraryFunctions,
  registerLibrary,
  type LibraryDoc,
  type LibraryExample,
  type LibraryFunction,
  type LookupTables,
  type RegisterLibraryOptions,
  type RegistrableExpression,
} from './library/index.ts';
export { specToJsonata } from './spec/spec-to-jsonata.ts';
export { jsonataToSpec } from './spec/jsonata-to-spec.ts';
export type { JsonataToSpecResult, MappingSpec, MappingSpecRow, MappingSpecVariable } from './spec/types.ts';
export { flattenPaths, inferSchema, schemaTypes, type SchemaField, type SchemaType } from './schema/infer-schema.ts';
