/** The rule SDK: contract, normaliser, parameters, engine. Handlers import `./handler` on their own. */
export * from './configuration-item';
export * from './context';
export * from './data-table';
export * from './define-rule';
export * from './engine';
export * from './errors';
export * from './evaluation';
export * from './parameters';
export * from './types';
export * from './unreadable';
export * from './did-you-mean';
