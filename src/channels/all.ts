/**
 * Loads every channel adapter so each registers its factory (one import per adapter, in the order the admin lists
 * them). The composition root imports this module once; nothing else should import adapters directly.
 */
import './messenger/index.js';
import './zalo/index.js';
import './telegram/register.js';
import './webchat/index.js';
