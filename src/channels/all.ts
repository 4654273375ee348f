/**
 * Loads every channel adapter so each registers its factory (one import per adapter, in the order the admin lists
 * them). The composition root imports this module once; nothing else should import adapters directly.
 */
import './webchat/index.js';
import './telegram/index.js';
