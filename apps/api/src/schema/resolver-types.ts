import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { EditRow, SoundRow, AccountRow, ApiTokenRow } from '@soundedit/service';
import type { Pack as PackModel } from '@soundedit/models';
import type { ApiContext } from '../context.ts';
export type Maybe<T> = T | null | undefined;
export type InputMaybe<T> = T | null | undefined;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  DateTime: { input: Date; output: Date; }
};

export type ApiToken = {
  __typename?: 'ApiToken';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
};

export type Author = {
  __typename?: 'Author';
  id: Scalars['ID']['output'];
  kind: Scalars['String']['output'];
  name: Scalars['String']['output'];
};

export type CreateEditInput = {
  /** With LAYERS: inclusive 0-based W+ layer range taken from the sound's edit. */
  audioLayers?: InputMaybe<Array<Scalars['Int']['input']>>;
  mix?: InputMaybe<MixMode>;
  /** A pack name; the first pack when omitted. */
  pack?: InputMaybe<Scalars['String']['input']>;
  prompt?: InputMaybe<Scalars['String']['input']>;
  settings?: InputMaybe<SettingsInput>;
  soundId?: InputMaybe<Scalars['ID']['input']>;
  source?: InputMaybe<SourceInput>;
  /** With BLEND: the text's share in [0, 1]. */
  textWeight?: InputMaybe<Scalars['Float']['input']>;
};

export type CreatedApiToken = {
  __typename?: 'CreatedApiToken';
  /** Shown once: store it now. */
  secret: Scalars['String']['output'];
  token: ApiToken;
};

export type Edit = {
  __typename?: 'Edit';
  attempts: Scalars['Int']['output'];
  author: Author;
  createdAt: Scalars['DateTime']['output'];
  errorCode?: Maybe<Scalars['String']['output']>;
  errorMessage?: Maybe<Scalars['String']['output']>;
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  likeCount: Scalars['Int']['output'];
  likedByViewer: Scalars['Boolean']['output'];
  metrics?: Maybe<EditMetrics>;
  pack: Scalars['String']['output'];
  parameters: EditParameters;
  parent?: Maybe<Edit>;
  /** Edits ahead of this one while it is queued. */
  queuePosition?: Maybe<Scalars['Int']['output']>;
  recordUrl?: Maybe<Scalars['String']['output']>;
  remixCount: Scalars['Int']['output'];
  remixes: EditConnection;
  resultUrl?: Maybe<Scalars['String']['output']>;
  sideBySideUrl?: Maybe<Scalars['String']['output']>;
  sound?: Maybe<Sound>;
  soundClass?: Maybe<Scalars['String']['output']>;
  sourceUrl?: Maybe<Scalars['String']['output']>;
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  status: EditStatus;
  step: Scalars['Int']['output'];
  steps?: Maybe<Array<EditStep>>;
  totalSteps: Scalars['Int']['output'];
  trajectoryUrl?: Maybe<Scalars['String']['output']>;
};


export type EditRemixesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type EditConnection = {
  __typename?: 'EditConnection';
  edges: Array<EditEdge>;
  pageInfo: PageInfo;
};

export type EditEdge = {
  __typename?: 'EditEdge';
  cursor: Scalars['String']['output'];
  node: Edit;
};

export type EditFilter = {
  authorId?: InputMaybe<Scalars['ID']['input']>;
  pack?: InputMaybe<Scalars['String']['input']>;
  /** Case-insensitive text in the prompt. */
  promptContains?: InputMaybe<Scalars['String']['input']>;
  /** Only remixes of this edit. */
  remixOf?: InputMaybe<Scalars['ID']['input']>;
  /** The pack class the sound was nearest to. */
  soundClass?: InputMaybe<Scalars['String']['input']>;
};

export type EditMetrics = {
  __typename?: 'EditMetrics';
  finalCosine: Scalars['Float']['output'];
  identitySimilarity?: Maybe<Scalars['Float']['output']>;
  inversionPsnr?: Maybe<Scalars['Float']['output']>;
  layerChange: Array<Scalars['Float']['output']>;
  layerWeights: Array<Scalars['Float']['output']>;
  loudnessGain?: Maybe<Scalars['Float']['output']>;
  seconds: Scalars['Float']['output'];
  /** With loudnessGain: the sound's RMS level in dBFS (null for silence) and the factor strength was multiplied by. */
  soundLevelDb?: Maybe<Scalars['Float']['output']>;
};

export type EditOrder =
  | 'MOST_LIKED'
  | 'NEWEST';

export type EditParameters = {
  __typename?: 'EditParameters';
  audioLayers?: Maybe<Array<Scalars['Int']['output']>>;
  lambdaId?: Maybe<Scalars['Float']['output']>;
  lambdaSim?: Maybe<Scalars['Float']['output']>;
  loudnessGain: Scalars['Boolean']['output'];
  lr?: Maybe<Scalars['Float']['output']>;
  mask?: Maybe<MaskMode>;
  mix?: Maybe<MixMode>;
  prompt?: Maybe<Scalars['String']['output']>;
  seed?: Maybe<Scalars['Int']['output']>;
  sourceEditId?: Maybe<Scalars['ID']['output']>;
  space?: Maybe<EditSpace>;
  steps?: Maybe<Scalars['Int']['output']>;
  strength?: Maybe<Scalars['Float']['output']>;
  textWeight?: Maybe<Scalars['Float']['output']>;
  truncation?: Maybe<Scalars['Float']['output']>;
};

export type EditProgressEvent = {
  __typename?: 'EditProgressEvent';
  cosine?: Maybe<Scalars['Float']['output']>;
  /** The edit, when it has ended. */
  edit?: Maybe<Edit>;
  errorCode?: Maybe<Scalars['String']['output']>;
  errorMessage?: Maybe<Scalars['String']['output']>;
  identity?: Maybe<Scalars['Float']['output']>;
  loss?: Maybe<Scalars['Float']['output']>;
  /** A PNG data URL of the picture at this step, every few steps. */
  preview?: Maybe<Scalars['String']['output']>;
  queuePosition?: Maybe<Scalars['Int']['output']>;
  similarity?: Maybe<Scalars['Float']['output']>;
  status: EditStatus;
  step: Scalars['Int']['output'];
  totalSteps: Scalars['Int']['output'];
};

export type EditSpace =
  | 'W'
  | 'W_PLUS';

export type EditStatus =
  | 'CANCELED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

export type EditStep = {
  __typename?: 'EditStep';
  cosine: Scalars['Float']['output'];
  identity?: Maybe<Scalars['Float']['output']>;
  loss: Scalars['Float']['output'];
  similarity: Scalars['Float']['output'];
  step: Scalars['Int']['output'];
};

export type MaskMode =
  | 'ADAPTIVE'
  | 'L2'
  | 'OFF';

export type MixMode =
  /** Edit towards one blend of the sound's and the text's embeddings (textWeight). */
  | 'BLEND'
  /** Take the sound's edit on audioLayers and the text's on the rest (the paper's style mixing). */
  | 'LAYERS';

export type Mutation = {
  __typename?: 'Mutation';
  cancelEdit: Edit;
  /** A new API token; its secret is shown once, here. */
  createApiToken: CreatedApiToken;
  createEdit: Edit;
  /** Deletes one of the viewer's edits. Returns its id. */
  deleteEdit: Scalars['ID']['output'];
  likeEdit: Edit;
  /** An edit's parameters with overrides; starts from the edit's result unless the source is given. */
  remixEdit: Edit;
  revokeApiToken: Scalars['Boolean']['output'];
  unlikeEdit: Edit;
  /**
   * Registers an uploaded sound. Upload the file's bytes first with POST /v1/sounds (any of WAV,
   * MP3, Ogg Vorbis/Opus, FLAC, WebM, M4A; limits in the answer's errors), which answers with the
   * Sound's id; this mutation is for clients that prefer base64 in GraphQL for small clips.
   */
  uploadSound: Sound;
};


export type MutationCancelEditArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCreateApiTokenArgs = {
  name: Scalars['String']['input'];
};


export type MutationCreateEditArgs = {
  input: CreateEditInput;
};


export type MutationDeleteEditArgs = {
  id: Scalars['ID']['input'];
};


export type MutationLikeEditArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRemixEditArgs = {
  id: Scalars['ID']['input'];
  overrides?: InputMaybe<RemixInput>;
};


export type MutationRevokeApiTokenArgs = {
  id: Scalars['ID']['input'];
};


export type MutationUnlikeEditArgs = {
  id: Scalars['ID']['input'];
};


export type MutationUploadSoundArgs = {
  base64: Scalars['String']['input'];
};

export type Pack = {
  __typename?: 'Pack';
  classes: Array<PackClass>;
  defaults: PackDefaults;
  description?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  resolution: Scalars['Int']['output'];
  styleLayers: Scalars['Int']['output'];
  title: Scalars['String']['output'];
};

export type PackClass = {
  __typename?: 'PackClass';
  editPrompt?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  prompts: Array<Scalars['String']['output']>;
};

export type PackDefaults = {
  __typename?: 'PackDefaults';
  audioLayers?: Maybe<Array<Scalars['Int']['output']>>;
  lambdaId: Scalars['Float']['output'];
  lambdaSim: Scalars['Float']['output'];
  lr: Scalars['Float']['output'];
  space: EditSpace;
  steps: Scalars['Int']['output'];
  truncation: Scalars['Float']['output'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** An edit by id; null when there is none (or it was deleted). */
  edit?: Maybe<Edit>;
  /** The gallery: finished edits, newest first unless ordered otherwise (Relay cursor pagination). */
  edits: EditConnection;
  pack?: Maybe<Pack>;
  packs: Array<Pack>;
  sound?: Maybe<Sound>;
  /**
   * The picture a seed gives in a pack (the source an edit from that seed starts from), as a PNG
   * data URL: for previews while choosing a seed. The first pack when pack is omitted.
   */
  sourcePreview: Scalars['String']['output'];
  /** Who is asking; null without an identity. */
  viewer?: Maybe<Viewer>;
};


export type QueryEditArgs = {
  id: Scalars['ID']['input'];
};


export type QueryEditsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<EditFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<EditOrder>;
};


export type QueryPackArgs = {
  name: Scalars['String']['input'];
};


export type QuerySoundArgs = {
  id: Scalars['ID']['input'];
};


export type QuerySourcePreviewArgs = {
  pack?: InputMaybe<Scalars['String']['input']>;
  seed: Scalars['Int']['input'];
  truncation?: InputMaybe<Scalars['Float']['input']>;
};

export type RemixInput = {
  audioLayers?: InputMaybe<Array<Scalars['Int']['input']>>;
  mix?: InputMaybe<MixMode>;
  prompt?: InputMaybe<Scalars['String']['input']>;
  settings?: InputMaybe<SettingsInput>;
  soundId?: InputMaybe<Scalars['ID']['input']>;
  source?: InputMaybe<SourceInput>;
  textWeight?: InputMaybe<Scalars['Float']['input']>;
};

export type SettingsInput = {
  lambdaId?: InputMaybe<Scalars['Float']['input']>;
  lambdaSim?: InputMaybe<Scalars['Float']['input']>;
  /** Scale strength by the sound's loudness: 0.5x to 2x, 1x at -20 dBFS RMS (a louder sound pulls harder). */
  loudnessGain?: InputMaybe<Scalars['Boolean']['input']>;
  lr?: InputMaybe<Scalars['Float']['input']>;
  mask?: InputMaybe<MaskMode>;
  space?: InputMaybe<EditSpace>;
  steps?: InputMaybe<Scalars['Int']['input']>;
  /** How hard the edit pulls towards the guidance (a louder clip, say). Default 1. */
  strength?: InputMaybe<Scalars['Float']['input']>;
};

export type Sound = {
  __typename?: 'Sound';
  bytes: Scalars['Int']['output'];
  channels: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  durationS: Scalars['Float']['output'];
  format: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** Peak |amplitude| in 200 equal slices, for drawing the waveform. */
  peaks: Array<Scalars['Float']['output']>;
  sampleRate: Scalars['Int']['output'];
  spectrogramUrl: Scalars['String']['output'];
  url: Scalars['String']['output'];
};

export type SourceInput = {
  /** The result of another edit. */
  editId?: InputMaybe<Scalars['ID']['input']>;
  /** An uploaded picture (PNG or JPEG, base64), inverted into the generator's latent space first. */
  imageBase64?: InputMaybe<Scalars['String']['input']>;
  /** A random picture of the pack's generator. */
  seed?: InputMaybe<Scalars['Int']['input']>;
  truncation?: InputMaybe<Scalars['Float']['input']>;
};

export type Subscription = {
  __typename?: 'Subscription';
  /** Status, queue position, each step's losses and a preview picture every few steps, until the edit ends. */
  editProgress: EditProgressEvent;
  /** Edits as they finish, for the live gallery. */
  galleryFeed: Edit;
};


export type SubscriptionEditProgressArgs = {
  id: Scalars['ID']['input'];
};

export type Viewer = {
  __typename?: 'Viewer';
  apiTokens: Array<ApiToken>;
  edits: EditConnection;
  id: Scalars['ID']['output'];
  kind: Scalars['String']['output'];
  name: Scalars['String']['output'];
};


export type ViewerEditsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  ApiToken: ResolverTypeWrapper<ApiTokenRow>;
  Author: ResolverTypeWrapper<AccountRow>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  CreateEditInput: CreateEditInput;
  CreatedApiToken: ResolverTypeWrapper<Omit<CreatedApiToken, 'token'> & { token: ResolversTypes['ApiToken'] }>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Edit: ResolverTypeWrapper<EditRow>;
  EditConnection: ResolverTypeWrapper<Omit<EditConnection, 'edges'> & { edges: Array<ResolversTypes['EditEdge']> }>;
  EditEdge: ResolverTypeWrapper<Omit<EditEdge, 'node'> & { node: ResolversTypes['Edit'] }>;
  EditFilter: EditFilter;
  EditMetrics: ResolverTypeWrapper<EditMetrics>;
  EditOrder: EditOrder;
  EditParameters: ResolverTypeWrapper<EditParameters>;
  EditProgressEvent: ResolverTypeWrapper<Omit<EditProgressEvent, 'edit'> & { edit?: Maybe<ResolversTypes['Edit']> }>;
  EditSpace: EditSpace;
  EditStatus: EditStatus;
  EditStep: ResolverTypeWrapper<EditStep>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  MaskMode: MaskMode;
  MixMode: MixMode;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Pack: ResolverTypeWrapper<PackModel>;
  PackClass: ResolverTypeWrapper<PackClass>;
  PackDefaults: ResolverTypeWrapper<PackDefaults>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RemixInput: RemixInput;
  SettingsInput: SettingsInput;
  Sound: ResolverTypeWrapper<SoundRow>;
  SourceInput: SourceInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Viewer: ResolverTypeWrapper<AccountRow>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  ApiToken: ApiTokenRow;
  Author: AccountRow;
  Boolean: Scalars['Boolean']['output'];
  CreateEditInput: CreateEditInput;
  CreatedApiToken: Omit<CreatedApiToken, 'token'> & { token: ResolversParentTypes['ApiToken'] };
  DateTime: Scalars['DateTime']['output'];
  Edit: EditRow;
  EditConnection: Omit<EditConnection, 'edges'> & { edges: Array<ResolversParentTypes['EditEdge']> };
  EditEdge: Omit<EditEdge, 'node'> & { node: ResolversParentTypes['Edit'] };
  EditFilter: EditFilter;
  EditMetrics: EditMetrics;
  EditParameters: EditParameters;
  EditProgressEvent: Omit<EditProgressEvent, 'edit'> & { edit?: Maybe<ResolversParentTypes['Edit']> };
  EditStep: EditStep;
  Float: Scalars['Float']['output'];
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  Mutation: Record<PropertyKey, never>;
  Pack: PackModel;
  PackClass: PackClass;
  PackDefaults: PackDefaults;
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  RemixInput: RemixInput;
  SettingsInput: SettingsInput;
  Sound: SoundRow;
  SourceInput: SourceInput;
  String: Scalars['String']['output'];
  Subscription: Record<PropertyKey, never>;
  Viewer: AccountRow;
};

export type ApiTokenResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['ApiToken'] = ResolversParentTypes['ApiToken']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
};

export type AuthorResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Author'] = ResolversParentTypes['Author']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type CreatedApiTokenResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['CreatedApiToken'] = ResolversParentTypes['CreatedApiToken']> = {
  secret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  token?: Resolver<ResolversTypes['ApiToken'], ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type EditResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Edit'] = ResolversParentTypes['Edit']> = {
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  author?: Resolver<ResolversTypes['Author'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  errorCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  errorMessage?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  likeCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  likedByViewer?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  metrics?: Resolver<Maybe<ResolversTypes['EditMetrics']>, ParentType, ContextType>;
  pack?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  parameters?: Resolver<ResolversTypes['EditParameters'], ParentType, ContextType>;
  parent?: Resolver<Maybe<ResolversTypes['Edit']>, ParentType, ContextType>;
  queuePosition?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  recordUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  remixCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  remixes?: Resolver<ResolversTypes['EditConnection'], ParentType, ContextType, RequireFields<EditRemixesArgs, 'first'>>;
  resultUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  sideBySideUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  sound?: Resolver<Maybe<ResolversTypes['Sound']>, ParentType, ContextType>;
  soundClass?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  sourceUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['EditStatus'], ParentType, ContextType>;
  step?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  steps?: Resolver<Maybe<Array<ResolversTypes['EditStep']>>, ParentType, ContextType>;
  totalSteps?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  trajectoryUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type EditConnectionResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['EditConnection'] = ResolversParentTypes['EditConnection']> = {
  edges?: Resolver<Array<ResolversTypes['EditEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type EditEdgeResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['EditEdge'] = ResolversParentTypes['EditEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Edit'], ParentType, ContextType>;
};

export type EditMetricsResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['EditMetrics'] = ResolversParentTypes['EditMetrics']> = {
  finalCosine?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  identitySimilarity?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  inversionPsnr?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  layerChange?: Resolver<Array<ResolversTypes['Float']>, ParentType, ContextType>;
  layerWeights?: Resolver<Array<ResolversTypes['Float']>, ParentType, ContextType>;
  loudnessGain?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  seconds?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  soundLevelDb?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type EditParametersResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['EditParameters'] = ResolversParentTypes['EditParameters']> = {
  audioLayers?: Resolver<Maybe<Array<ResolversTypes['Int']>>, ParentType, ContextType>;
  lambdaId?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  lambdaSim?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  loudnessGain?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  lr?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  mask?: Resolver<Maybe<ResolversTypes['MaskMode']>, ParentType, ContextType>;
  mix?: Resolver<Maybe<ResolversTypes['MixMode']>, ParentType, ContextType>;
  prompt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  seed?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  sourceEditId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  space?: Resolver<Maybe<ResolversTypes['EditSpace']>, ParentType, ContextType>;
  steps?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  strength?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  textWeight?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  truncation?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type EditProgressEventResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['EditProgressEvent'] = ResolversParentTypes['EditProgressEvent']> = {
  cosine?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  edit?: Resolver<Maybe<ResolversTypes['Edit']>, ParentType, ContextType>;
  errorCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  errorMessage?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  identity?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  loss?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  preview?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  queuePosition?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  similarity?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['EditStatus'], ParentType, ContextType>;
  step?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  totalSteps?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type EditStepResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['EditStep'] = ResolversParentTypes['EditStep']> = {
  cosine?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  identity?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  loss?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  similarity?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  step?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  cancelEdit?: Resolver<ResolversTypes['Edit'], ParentType, ContextType, RequireFields<MutationCancelEditArgs, 'id'>>;
  createApiToken?: Resolver<ResolversTypes['CreatedApiToken'], ParentType, ContextType, RequireFields<MutationCreateApiTokenArgs, 'name'>>;
  createEdit?: Resolver<ResolversTypes['Edit'], ParentType, ContextType, RequireFields<MutationCreateEditArgs, 'input'>>;
  deleteEdit?: Resolver<ResolversTypes['ID'], ParentType, ContextType, RequireFields<MutationDeleteEditArgs, 'id'>>;
  likeEdit?: Resolver<ResolversTypes['Edit'], ParentType, ContextType, RequireFields<MutationLikeEditArgs, 'id'>>;
  remixEdit?: Resolver<ResolversTypes['Edit'], ParentType, ContextType, RequireFields<MutationRemixEditArgs, 'id'>>;
  revokeApiToken?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationRevokeApiTokenArgs, 'id'>>;
  unlikeEdit?: Resolver<ResolversTypes['Edit'], ParentType, ContextType, RequireFields<MutationUnlikeEditArgs, 'id'>>;
  uploadSound?: Resolver<ResolversTypes['Sound'], ParentType, ContextType, RequireFields<MutationUploadSoundArgs, 'base64'>>;
};

export type PackResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Pack'] = ResolversParentTypes['Pack']> = {
  classes?: Resolver<Array<ResolversTypes['PackClass']>, ParentType, ContextType>;
  defaults?: Resolver<ResolversTypes['PackDefaults'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  resolution?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  styleLayers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type PackClassResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['PackClass'] = ResolversParentTypes['PackClass']> = {
  editPrompt?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  prompts?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
};

export type PackDefaultsResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['PackDefaults'] = ResolversParentTypes['PackDefaults']> = {
  audioLayers?: Resolver<Maybe<Array<ResolversTypes['Int']>>, ParentType, ContextType>;
  lambdaId?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  lambdaSim?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  lr?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  space?: Resolver<ResolversTypes['EditSpace'], ParentType, ContextType>;
  steps?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  truncation?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  edit?: Resolver<Maybe<ResolversTypes['Edit']>, ParentType, ContextType, RequireFields<QueryEditArgs, 'id'>>;
  edits?: Resolver<ResolversTypes['EditConnection'], ParentType, ContextType, RequireFields<QueryEditsArgs, 'first' | 'orderBy'>>;
  pack?: Resolver<Maybe<ResolversTypes['Pack']>, ParentType, ContextType, RequireFields<QueryPackArgs, 'name'>>;
  packs?: Resolver<Array<ResolversTypes['Pack']>, ParentType, ContextType>;
  sound?: Resolver<Maybe<ResolversTypes['Sound']>, ParentType, ContextType, RequireFields<QuerySoundArgs, 'id'>>;
  sourcePreview?: Resolver<ResolversTypes['String'], ParentType, ContextType, RequireFields<QuerySourcePreviewArgs, 'seed'>>;
  viewer?: Resolver<Maybe<ResolversTypes['Viewer']>, ParentType, ContextType>;
};

export type SoundResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Sound'] = ResolversParentTypes['Sound']> = {
  bytes?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  channels?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  durationS?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  format?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  peaks?: Resolver<Array<ResolversTypes['Float']>, ParentType, ContextType>;
  sampleRate?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  spectrogramUrl?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  editProgress?: SubscriptionResolver<ResolversTypes['EditProgressEvent'], "editProgress", ParentType, ContextType, RequireFields<SubscriptionEditProgressArgs, 'id'>>;
  galleryFeed?: SubscriptionResolver<ResolversTypes['Edit'], "galleryFeed", ParentType, ContextType>;
};

export type ViewerResolvers<ContextType = ApiContext, ParentType extends ResolversParentTypes['Viewer'] = ResolversParentTypes['Viewer']> = {
  apiTokens?: Resolver<Array<ResolversTypes['ApiToken']>, ParentType, ContextType>;
  edits?: Resolver<ResolversTypes['EditConnection'], ParentType, ContextType, RequireFields<ViewerEditsArgs, 'first'>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type Resolvers<ContextType = ApiContext> = {
  ApiToken?: ApiTokenResolvers<ContextType>;
  Author?: AuthorResolvers<ContextType>;
  CreatedApiToken?: CreatedApiTokenResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Edit?: EditResolvers<ContextType>;
  EditConnection?: EditConnectionResolvers<ContextType>;
  EditEdge?: EditEdgeResolvers<ContextType>;
  EditMetrics?: EditMetricsResolvers<ContextType>;
  EditParameters?: EditParametersResolvers<ContextType>;
  EditProgressEvent?: EditProgressEventResolvers<ContextType>;
  EditStep?: EditStepResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Pack?: PackResolvers<ContextType>;
  PackClass?: PackClassResolvers<ContextType>;
  PackDefaults?: PackDefaultsResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Sound?: SoundResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  Viewer?: ViewerResolvers<ContextType>;
};

