// Public API of journeys: the definition schema and ports, validation, interpreter helpers, templates, canvas flow.
export * from './definition.ts';
export { validateJourney, isTimeZone, JOURNEY_ERROR_CODES, type JourneyError, type JourneyErrorCode, type JourneyValidation, type JourneyValidationContext } from './validate.ts';
export { nextNode, nodeById, entryOf, reachableFrom, backEdges, longestPathLayers } from './graph.ts';
export { assignVariant, inJourneyHoldout, murmur3, bucket, utf8, type VariantAssignment } from './experiment.ts';
export * from './scheduling.ts';
export { localParts, zonedInstant, offsetAt, occurrenceIn, type LocalDate, type LocalDateTime } from './zoned-time.ts';
export * from './templates.ts';
export { toFlow, fromFlow, autoLayout, edgeId, type Layout, type LayoutOptions, type Position, type JourneyFlowNode, type JourneyFlowEdge } from './flow.ts';
export { correlationKeyOf, entryMatches, eventMatches, type EntryMatch, type JourneyEvent, type KeyContext } from './events.ts';
