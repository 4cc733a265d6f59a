import { GraphQLScalarType, Kind } from 'graphql';
import type { Resolvers } from '../schema/resolver-types.ts';
import { Edit } from './edit.ts';
import { Mutation } from './mutation.ts';
import { Query } from './query.ts';
import { Subscription } from './subscription.ts';
import { ApiToken, Author, Pack, Sound, Viewer } from './types.ts';

const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An ISO 8601 instant in UTC, to the millisecond.',
  serialize: (v) => {
    if (!(v instanceof Date)) throw new TypeError('DateTime: expected a Date');
    return v.toISOString();
  },
  parseValue: (v) => {
    if (typeof v !== 'string' || Number.isNaN(Date.parse(v)))
      throw new TypeError('DateTime: expected an ISO 8601 string');
    return new Date(v);
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || Number.isNaN(Date.parse(ast.value)))
      throw new TypeError('DateTime: expected an ISO 8601 string');
    return new Date(ast.value);
  },
});

export const resolvers: Resolvers = {
  DateTime,
  Query,
  Mutation,
  Subscription,
  Edit,
  Sound,
  Author,
  Viewer,
  ApiToken,
  Pack,
};
