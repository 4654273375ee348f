/**
 * Loads every channel adapter so each registers its factory (one import per adapter). The composition root imports
 * this module once; nothing else should import adapters directly.
 */
import './telegram/index.js';
