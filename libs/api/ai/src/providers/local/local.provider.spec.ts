import type { Turn } from '../provider';
import { classifyIntent, detectLanguage, readSentiment, summarize } from './analysis';
import { DEFAULT_INTENTS } from './default-intents';
import { LocalProvider } from './local.provider';

const customer = (text: string): Turn => ({ from: 'customer', text });
const business = (text: string): Turn => ({ from: 'business', text });

describe('local provider', () => {
  describe('sentiment', () => {
    it.each([
      ['The sneakers are great, thank you!', 'positive'],
      ['This is terrible, the box arrived broken', 'negative'],
      ['Do you deliver to Lisbon?', 'neutral'],
      ['Adorei o produto, chegou super rápido 😍', 'positive'],
      ['Péssimo atendimento, estou muito chateado', 'negative'],
      ['Me encanta, es perfecto', 'positive'],
      ['El pedido llegó roto, qué asco', 'negative'],
    ])('%s → %s', (text, sentiment) => {
      expect(readSentiment(text).sentiment).toBe(sentiment);
    });

    it('turns the polarity of words after a negation, within the clause', () => {
      expect(readSentiment('The service was good').sentiment).toBe('positive');
      expect(readSentiment('The service was not good').sentiment).toBe('negative');
      expect(readSentiment("It isn't very good at all").sentiment).toBe('negative');
      expect(readSentiment('Não gostei do produto').sentiment).toBe('negative');
      expect(readSentiment('No es bueno').sentiment).toBe('negative');
      // A negated negative is mild praise, not a complaint.
      expect(readSentiment('Not bad at all').sentiment).not.toBe('negative');
      // The negation stops at the clause break: "great" stays positive.
      expect(readSentiment("I didn't expect it, but it's great").sentiment).toBe('positive');
    });

    it('is more confident the stronger the words', () => {
      expect(readSentiment('It is absolutely terrible and awful').confidence).toBeGreaterThan(
        readSentiment('It is a bit late').confidence,
      );
    });
  });

  describe('intent', () => {
    it.each([
      ['I would like to order 2 blue t-shirts', 'order_request'],
      ['Quero comprar duas camisetas', 'order_request'],
      ['Quiero pedir una pizza grande', 'order_request'],
      ['How much are the running shoes? Do you have size 42?', 'product_inquiry'],
      ['Quanto custa o tênis azul?', 'product_inquiry'],
      ['¿Cuánto cuesta la chaqueta? ¿Tienen talla M?', 'product_inquiry'],
      ['My order arrived damaged, I want a refund', 'support_request'],
      ['Meu pedido não chegou ainda', 'support_request'],
      ['Hola, buenos días!', 'general_chat'],
      ['ok', 'general_chat'],
    ])('%s → %s', (text, intent) => {
      expect(classifyIntent(text, DEFAULT_INTENTS).intent).toBe(intent);
    });

    it("uses the org's own labels, phrases and prefixes", () => {
      const labels = [
        { name: 'booking', description: '', keywords: ['table for', 'reserv*'] },
        { name: 'other', description: '', keywords: [] },
      ];
      expect(classifyIntent('Can I get a table for four tonight?', labels)).toEqual({
        intent: 'booking',
        confidence: expect.any(Number),
      });
      expect(classifyIntent('Queria fazer uma reserva', labels).intent).toBe('booking');
      // No keyword matched: the last label, with little confidence.
      expect(classifyIntent('What time is it?', labels)).toEqual({ intent: 'other', confidence: 0.3 });
    });

    it('is more confident with more (and more specific) matches', () => {
      const strong = classifyIntent('How much is it, what is the price, is it in stock?', DEFAULT_INTENTS);
      const weak = classifyIntent('Which color?', DEFAULT_INTENTS);
      expect(strong.intent).toBe('product_inquiry');
      expect(strong.confidence).toBeGreaterThan(weak.confidence);
    });
  });

  describe('language', () => {
    it.each([
      ['Hello, what is the price of this one?', 'en'],
      ['Olá, você tem esse tênis no tamanho 40?', 'pt'],
      ['Bom dia, meu pedido não chegou', 'pt'],
      ['Hola, ¿tienen esta camisa en azul?', 'es'],
      ['Buenos días, quiero saber el precio', 'es'],
      ['Bonjour, je voudrais savoir le prix', 'fr'],
      ['Péssimo, o produto veio quebrado', 'pt'],
      ['Não', 'pt'],
      ['¿Qué?', 'es'],
      ['Здравствуйте, сколько стоит?', 'ru'],
      ['こんにちは', 'ja'],
      ['42', 'und'],
      ['', 'und'],
    ])('%s → %s', (text, language) => {
      expect(detectLanguage(text)).toBe(language);
    });
  });

  describe('summary', () => {
    it("keeps the customer's most informative sentences, in order, and skips small talk", () => {
      const summary = summarize(
        [
          customer('Hi there!'),
          business('Hello! How can we help?'),
          customer('I am looking for the blue running shoes in size 42.'),
          customer('Thanks.'),
          customer('Can you deliver them to Porto by Friday? My order number is 1234.'),
          customer('Ok.'),
        ],
        DEFAULT_INTENTS,
      );
      expect(summary).toContain('blue running shoes in size 42');
      expect(summary).toContain('deliver them to Porto by Friday');
      expect(summary).not.toMatch(/Hi there|Thanks|Ok\.|How can we help/);
      expect(summary.indexOf('blue running')).toBeLessThan(summary.indexOf('Porto'));
    });

    it('is empty without customer messages', () => {
      expect(summarize([business('Hello!')], DEFAULT_INTENTS)).toBe('');
    });
  });

  describe('the provider', () => {
    const local = new LocalProvider();

    it('reads a message', async () => {
      await expect(local.readMessage('Não gostei, o produto veio quebrado', DEFAULT_INTENTS)).resolves.toEqual({
        sentiment: 'negative',
        intent: 'support_request',
        language: 'pt',
        confidence: expect.any(Number),
      });
    });

    it('reads a conversation: an angry customer with an urgent problem is urgent and no lead', async () => {
      const insights = await local.readConversation(
        [customer('My order 5512 arrived broken.'), customer('This is unacceptable, I need a refund urgently!')],
        DEFAULT_INTENTS,
      );
      expect(insights.priority).toBe('urgent');
      expect(insights.suggestedTags).toContain('support request');
      expect(insights.leadScore).toBeLessThan(30);
      expect(insights.summary).toMatch(/refund/);
    });

    it('reads a conversation: a keen buyer is a good lead', async () => {
      const insights = await local.readConversation(
        [customer('How much are the sneakers?'), customer('Great, I want to buy 2 pairs of sneakers, please')],
        DEFAULT_INTENTS,
      );
      expect(insights.priority).toBe('normal');
      expect(insights.leadScore).toBeGreaterThanOrEqual(70);
      expect(insights.suggestedTags).toEqual(expect.arrayContaining(['order request', 'sneakers']));
    });

    it('suggests the words the customer repeats as tags, as they wrote them', async () => {
      const insights = await local.readConversation(
        [customer('O tênis azul tem no 42?'), customer('Quero comprar o tênis azul, o modelo corrida')],
        DEFAULT_INTENTS,
      );
      expect(insights.suggestedTags).toEqual(['product inquiry', 'order request', 'tênis', 'azul', 'corrida']);
    });

    it('small talk is low priority', async () => {
      const insights = await local.readConversation([customer('Hello!'), customer('Thanks, bye')], DEFAULT_INTENTS);
      expect(insights.priority).toBe('low');
      // Something no intent knows is not small talk.
      const unknown = await local.readConversation([customer('Do you deliver to Lisbon?')], DEFAULT_INTENTS);
      expect(unknown.priority).toBe('normal');
    });

    it("suggests a reply in the customer's language, less sure for unhappy customers", async () => {
      const question = await local.suggestReply([customer('Quanto custa o tênis azul?')], DEFAULT_INTENTS);
      expect(question.intent).toBe('product_inquiry');
      expect(question.text).toMatch(/preço/);
      const complaint = await local.suggestReply(
        [customer('This is terrible, my order arrived broken')],
        DEFAULT_INTENTS,
      );
      expect(complaint.intent).toBe('support_request');
      expect(complaint.text).toMatch(/order number/);
      expect(complaint.confidence).toBeLessThan(question.confidence);
    });
  });
});
