// The console's Socket.io connection (its own library so socket.io-client loads with the pages that use it).
export * from './realtime';
