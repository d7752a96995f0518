// Checks a deployment parameter file (infra/**/*.parameters.json) against the ARM template that `bicep build` compiled
// from its Bicep file: every parameter it gives exists, every parameter without a default is given, and each literal
// value fits the parameter's type, allowed values, bounds and (for user-defined object types) declared properties.
// Values with an azd substitution ("${NAME}" or "${NAME=default}") are strings once azd has replaced them: the parameter
// must take a string, and a default written in the substitution must be an allowed value.
// usage: node eng/check-bicep-parameters.mjs <compiled template.json> <parameter file.json>
import { readFileSync } from 'node:fs';

const [templatePath, parametersPath] = process.argv.slice(2);
if (!templatePath || !parametersPath) {
  console.error('usage: node eng/check-bicep-parameters.mjs <compiled template.json> <parameter file.json>');
  process.exit(2);
}

const template = JSON.parse(readFileSync(templatePath, 'utf8'));
const file = JSON.parse(readFileSync(parametersPath, 'utf8'));
const declared = template.parameters ?? {};
const given = file.parameters ?? {};
const errors = [];

function resolve(definition) {
  let current = definition;
  while (current && current.$ref) {
    const name = current.$ref.replace('#/definitions/', '');
    const target = template.definitions?.[name];
    if (!target) {
      errors.push(`unknown type reference ${current.$ref}`);
      return {};
    }
    current = { ...target, ...Object.fromEntries(Object.entries(current).filter(([k]) => k !== '$ref')) };
  }
  return current ?? {};
}

function typeOf(value) {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'number';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'string';
  return 'object';
}

function check(path, definition, value) {
  const type = resolve(definition);
  const expected = (type.type ?? '').toLowerCase().replace(/^secure/, '');
  if (value === null) {
    if (!type.nullable) errors.push(`${path}: null, but the parameter is not nullable`);
    return;
  }
  const actual = typeOf(value);
  if (expected && actual !== expected) {
    errors.push(`${path}: a${actual === 'int' || actual === 'array' || actual === 'object' ? 'n' : ''} ${actual}, but the template wants ${expected}`);
    return;
  }
  if (type.allowedValues && !type.allowedValues.some(allowed => JSON.stringify(allowed) === JSON.stringify(value))) {
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(type.allowedValues)}`);
  }
  if (actual === 'int') {
    if (type.minValue !== undefined && value < type.minValue) errors.push(`${path}: ${value} < minValue ${type.minValue}`);
    if (type.maxValue !== undefined && value > type.maxValue) errors.push(`${path}: ${value} > maxValue ${type.maxValue}`);
  }
  if (actual === 'string' || actual === 'array') {
    if (type.minLength !== undefined && value.length < type.minLength) errors.push(`${path}: length ${value.length} < minLength ${type.minLength}`);
    if (type.maxLength !== undefined && value.length > type.maxLength) errors.push(`${path}: length ${value.length} > maxLength ${type.maxLength}`);
  }
  if (actual === 'array' && type.items) {
    value.forEach((item, i) => check(`${path}[${i}]`, type.items, item));
  }
  if (actual === 'object' && type.properties) {
    for (const [name, property] of Object.entries(type.properties)) {
      if (name in value) check(`${path}.${name}`, property, value[name]);
      else if (!resolve(property).nullable) errors.push(`${path}: lacks the required property ${name}`);
    }
    if (type.additionalProperties === false) {
      for (const name of Object.keys(value).filter(n => !(n in type.properties))) {
        errors.push(`${path}: ${name} is not a property of the parameter's type (${Object.keys(type.properties).join(', ')})`);
      }
    }
  }
}

for (const [name, entry] of Object.entries(given)) {
  const definition = declared[name];
  if (!definition) {
    errors.push(`${name}: the template has no such parameter`);
    continue;
  }
  if (!entry || !('value' in entry)) {
    if (entry && 'reference' in entry) continue; // a Key Vault reference: resolved at deployment
    errors.push(`${name}: no "value"`);
    continue;
  }
  const value = entry.value;
  const substitution = typeof value === 'string' ? /^\$\{[A-Za-z_][A-Za-z0-9_]*(?:=(.*))?\}$/.exec(value) : null;
  if (typeof value === 'string' && value.includes('${')) {
    const type = resolve(definition);
    if ((type.type ?? '').toLowerCase().replace(/^secure/, '') !== 'string') {
      errors.push(`${name}: an azd substitution (a string), but the template wants ${type.type}`);
    } else if (substitution && substitution[1] !== undefined && substitution[1] !== '' && type.allowedValues && !type.allowedValues.includes(substitution[1])) {
      errors.push(`${name}: the default "${substitution[1]}" is not one of ${JSON.stringify(type.allowedValues)}`);
    }
    continue;
  }
  check(name, definition, value);
}

for (const [name, definition] of Object.entries(declared)) {
  if (!(name in given) && !('defaultValue' in definition) && !resolve(definition).nullable) {
    errors.push(`${name}: required by the template (no default) but not given`);
  }
}

if (errors.length > 0) {
  for (const error of errors) console.error(`${parametersPath}: ${error}`);
  process.exit(1);
}
