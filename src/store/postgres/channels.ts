/** NOTIFY channels. The payload of the first two is an application ID, of the last a listen channel ID. */
export const CHANNEL_WORK = 'hookrelay_work';
export const CHANNEL_MESSAGES = 'hookrelay_messages';
export const CHANNEL_LISTEN = 'hookrelay_listen';
