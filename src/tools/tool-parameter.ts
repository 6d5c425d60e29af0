import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/**
 * One decorator per tool body property: it is the single source of the property's validation (class-validator),
 * its OpenAPI entry, and its entry in the ElevenLabs `request_body_schema` (`toolBodySchema()`), so the three
 * cannot drift. The schema types are those ElevenLabs accepts for a literal property (string, integer).
 */
export type ToolParameterSpec =
  | { type: 'string'; description: string; required: boolean; maxLength: number; enum?: readonly string[] }
  | { type: 'integer'; description: string; required: boolean; minimum: number; maximum: number };

/** What ElevenLabs' `LiteralJsonSchemaProperty` holds for a property the LLM fills in. */
export interface ToolSchemaProperty {
  type: 'string' | 'integer';
  description: string;
  enum?: string[];
}

export interface ToolBodySchema {
  type: 'object';
  required: string[];
  properties: Record<string, ToolSchemaProperty>;
}

const TOOL_PARAMETERS = Symbol('tool:parameters');
type Stored = Map<string, ToolParameterSpec>;

function specsOf(target: object): Stored {
  const own = Reflect.getOwnMetadata(TOOL_PARAMETERS, target) as Stored | undefined;
  if (own) return own;
  const created: Stored = new Map(Reflect.getMetadata(TOOL_PARAMETERS, target) as Stored | undefined);
  Reflect.defineMetadata(TOOL_PARAMETERS, created, target);
  return created;
}

export function ToolParameter(spec: ToolParameterSpec): PropertyDecorator {
  const record: PropertyDecorator = (target, property) => {
    specsOf(target).set(String(property), spec);
  };
  const presence = spec.required ? [IsNotEmpty({ message: `$property is required` })] : [IsOptional()];
  if (spec.type === 'string') {
    return applyDecorators(
      record,
      ApiProperty({ type: String, description: spec.description, required: spec.required, maxLength: spec.maxLength, ...(spec.enum ? { enum: [...spec.enum] } : {}) }),
      ...presence,
      IsString({ message: '$property must be text' }),
      MaxLength(spec.maxLength, { message: `$property must be at most ${spec.maxLength} characters` }),
      ...(spec.enum ? [IsIn([...spec.enum], { message: `$property must be one of: ${spec.enum.join(', ')}` })] : []),
    );
  }
  return applyDecorators(
    record,
    ApiProperty({ type: 'integer', description: spec.description, required: spec.required, minimum: spec.minimum, maximum: spec.maximum }),
    ...presence,
    // The LLM sometimes sends "3" for 3: accept a numeric string, validate the number.
    Type(() => Number),
    IsInt({ message: '$property must be a whole number' }),
    Min(spec.minimum, { message: `$property must be at least ${spec.minimum}` }),
    Max(spec.maximum, { message: `$property must be at most ${spec.maximum}` }),
  );
}

/** The property specs recorded on a tool body class, in declaration order. */
export function toolParametersOf(dto: abstract new () => object): ReadonlyMap<string, ToolParameterSpec> {
  return (Reflect.getMetadata(TOOL_PARAMETERS, dto.prototype) as Stored | undefined) ?? new Map();
}

/** The ElevenLabs `request_body_schema` of a tool body class. */
export function toolBodySchema(dto: abstract new () => object): ToolBodySchema {
  const properties: Record<string, ToolSchemaProperty> = {};
  const required: string[] = [];
  for (const [name, spec] of toolParametersOf(dto)) {
    properties[name] = { type: spec.type, description: spec.description, ...(spec.type === 'string' && spec.enum ? { enum: [...spec.enum] } : {}) };
    if (spec.required) required.push(name);
  }
  return { type: 'object', required, properties };
}
