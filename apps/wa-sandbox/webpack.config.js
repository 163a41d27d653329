const nodeApp = require('../../tools/node-app.webpack');

module.exports = nodeApp(__dirname, 'wa-sandbox');
