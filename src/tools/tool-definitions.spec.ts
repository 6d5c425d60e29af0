import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import * as wire from '@elevenlabs/elevenlabs-js/serialization/index.js';
import { TOOL_SPECS, toolDefinitions } from './tool-definitions.js';
import { toolParametersOf } from './tool-parameter.js';

const specs: Array<{ name: string; body: new () => object }> = Object.values(TOOL_SPECS);

function validatedProperties(dto: abstract new () => object): string[] {
  return [...new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).map((m) => m.propertyName))].sort();
}

/** A value of the schema's type the validator accepts. */
function sampleFor(type: string, enumValues?: string[]): unknown {
  if (enumValues) return enumValues[0];
  return type === 'integer' ? 1 : 'tomorrow at 6pm';
}

describe('tool definitions', () => {
  const definitions = toolDefinitions('https://coach.example.com/');

  it('are ElevenLabs webhook tools the SDK schema accepts, with no unknown key', () => {
    for (const definition of definitions) {
      expect(() => wire.PromptAgentApiModelInputToolsItem.parseOrThrow(definition, { unrecognizedObjectKeys: 'fail' })).not.toThrow();
    }
  });

  it('point at PUBLIC_URL with POST JSON and bind the tool token header to secret__tool_token', () => {
    expect(definitions.map((d) => d.api_schema.url)).toEqual([
      'https://coach.example.com/api/tools/user-history',
      'https://coach.example.com/api/tools/save-insight',
      'https://coach.example.com/api/tools/schedule-callback',
    ]);
    for (const d of definitions) {
      expect(d).toMatchObject({ type: 'webhook', api_schema: { method: 'POST', content_type: 'application/json', request_headers: { 'X-Convai-Tool-Token': { variable_name: 'secret__tool_token' } } } });
      expect(d.name).toMatch(/^[a-z0-9_]{1,64}$/);
    }
  });

  it('give every property a description', () => {
    for (const d of definitions) {
      expect(d.description.length).toBeGreaterThan(20);
      for (const [name, property] of Object.entries(d.api_schema.request_body_schema.properties)) {
        expect({ name, description: property.description.length > 10 }).toEqual({ name, description: true });
      }
    }
  });

  it.each(specs.map((spec) => [spec.name, spec] as const))('%s: the schema and the DTO validation name the same properties', (_, spec) => {
    const definition = definitions.find((d) => d.name === spec.name)!;
    expect(Object.keys(definition.api_schema.request_body_schema.properties).sort()).toEqual(validatedProperties(spec.body));
    expect([...toolParametersOf(spec.body).keys()].sort()).toEqual(validatedProperties(spec.body));
  });

  it.each(specs.map((spec) => [spec.name, spec] as const))('%s: the DTO accepts what the schema describes and requires what it requires', (_, spec) => {
    const schema = definitions.find((d) => d.name === spec.name)!.api_schema.request_body_schema;
    const full = Object.fromEntries(Object.entries(schema.properties).map(([name, p]) => [name, sampleFor(p.type, p.enum)]));
    expect(validateSync(plainToInstance(spec.body, full) as object)).toEqual([]);
    for (const name of Object.keys(schema.properties)) {
      const { [name]: _omitted, ...without } = full;
      const errors = validateSync(plainToInstance(spec.body, without) as object).map((e) => e.property);
      expect({ name, refused: errors.includes(name) }).toEqual({ name, refused: schema.required.includes(name) });
    }
    for (const [name, property] of Object.entries(schema.properties)) {
      const wrongType = property.type === 'integer' ? 'many' : 42;
      const errors = validateSync(plainToInstance(spec.body, { ...full, [name]: wrongType }) as object).map((e) => e.property);
      expect({ name, refused: errors.includes(name) }).toEqual({ name, refused: true });
    }
  });
});
