const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

/**
 * Webpack config for a Node app of this workspace: `src/main.ts` plus any extra entry points,
 * bundled to dist/apps/<name> with source maps; node_modules stay external.
 */
module.exports = function nodeApp(appDir, name, additionalEntryPoints = []) {
  return {
    output: { path: join(appDir, '../../dist/apps', name), clean: true },
    devtool: 'source-map',
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: './src/main.ts',
        additionalEntryPoints,
        tsConfig: './tsconfig.app.json',
        optimization: false,
        outputHashing: 'none',
        generatePackageJson: false,
        sourceMap: true,
        typeCheck: true,
      }),
    ],
  };
};
