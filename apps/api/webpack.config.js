const nodeApp = require('../../tools/node-app.webpack');

// One bundle per entry point: the HTTP api (main) and the queue worker (worker).
module.exports = nodeApp(__dirname, 'api', [{ entryName: 'worker', entryPath: './src/worker.ts' }]);
