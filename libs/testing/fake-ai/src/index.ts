export * from './fake-ai-server';
