/** Every channel adapter, one line each: importing an adapter registers its factory with the registry. */
import './messenger/index.js';
import './zalo/index.js';
import './telegram/index.js';
