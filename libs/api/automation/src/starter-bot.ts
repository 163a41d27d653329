import type { AutomationRule } from './entities/automation-rule.entity';

export const STARTER_BOT = 'starter_bot';

/** Button and list ids the starter bot's menu uses, and its rules route on. */
export const STARTER_REPLY_IDS = { hours: 'starter_hours', human: 'starter_human' } as const;

type StarterRule = Pick<
  AutomationRule,
  'name' | 'trigger' | 'conditions' | 'actions' | 'stopAfterMatch' | 'cooldownSeconds'
>;

const handOff = (text: string): StarterRule['actions'] => [
  { type: 'handoff', text },
  { type: 'assign', mode: 'least_busy' },
];

/**
 * The starter bot: ordinary rules an org switches on together and edits like any other. A greeting
 * menu for new conversations, an answer about opening hours, "talk to a human" (a button or the
 * words) hands off to the least busy online agent, a closed-now notice outside business hours, and
 * anything else is handed off politely. Once handed off, the bot stays quiet until resolved.
 */
export function starterBotRules(): StarterRule[] {
  return [
    {
      name: 'Starter bot: outside business hours',
      trigger: { type: 'outside_business_hours' },
      conditions: [],
      actions: [
        {
          type: 'reply',
          message: {
            type: 'text',
            text: { body: "Thanks for writing! We're closed right now; we'll answer as soon as we're back." },
          },
        },
      ],
      // The menu or the handoff still follows; the notice goes at most once an hour.
      stopAfterMatch: false,
      cooldownSeconds: 3600,
    },
    {
      name: 'Starter bot: greeting menu',
      trigger: { type: 'new_conversation' },
      conditions: [],
      actions: [
        {
          type: 'reply',
          message: {
            type: 'interactive',
            interactive: {
              type: 'button',
              body: { text: 'Hi! 👋 Thanks for getting in touch. How can we help?' },
              action: {
                buttons: [
                  { type: 'reply', reply: { id: STARTER_REPLY_IDS.hours, title: 'Opening hours' } },
                  { type: 'reply', reply: { id: STARTER_REPLY_IDS.human, title: 'Talk to a human' } },
                ],
              },
            },
          },
        },
      ],
      stopAfterMatch: true,
      cooldownSeconds: 0,
    },
    {
      name: 'Starter bot: opening hours',
      trigger: { type: 'interactive_reply', replyIds: [STARTER_REPLY_IDS.hours] },
      conditions: [],
      actions: [
        {
          type: 'reply',
          message: {
            type: 'text',
            text: { body: "We're open Monday to Friday, 9:00 to 18:00. Write any time and we'll get back to you." },
          },
        },
      ],
      stopAfterMatch: true,
      cooldownSeconds: 0,
    },
    {
      name: 'Starter bot: talk to a human (button)',
      trigger: { type: 'interactive_reply', replyIds: [STARTER_REPLY_IDS.human] },
      conditions: [],
      actions: handOff('Sure! A teammate will be with you here shortly.'),
      stopAfterMatch: true,
      cooldownSeconds: 0,
    },
    {
      name: 'Starter bot: talk to a human (words)',
      trigger: {
        type: 'message',
        match: 'keyword',
        keywords: ['human', 'agent', 'person', 'representative', 'humano', 'atendente', 'persona'],
      },
      conditions: [],
      actions: handOff('Sure! A teammate will be with you here shortly.'),
      stopAfterMatch: true,
      cooldownSeconds: 0,
    },
    {
      name: 'Starter bot: anything else',
      trigger: { type: 'message', match: 'any' },
      conditions: [],
      actions: handOff("I'm not sure I understood, so I've asked a teammate to help. They'll reply here shortly."),
      stopAfterMatch: true,
      cooldownSeconds: 0,
    },
  ];
}
