/**
 * Imports every channel adapter once so each registers its factory with the registry (one line per adapter, in
 * the order the admin lists them). `buildChannels` then enables those whose credentials are configured.
 */
import './webchat/index.js';
