/**
 * Word lists for the local provider, in English, Portuguese and Spanish, folded (lower case, no
 * accents; see `fold`). Small on purpose: they catch the common cases in customer chat, and a
 * remote provider is there for the rest.
 */

const weighted = (weight: number, list: string) =>
  list
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => [word, weight] as const);

/** Polarity of sentiment-bearing words, -3 (very negative) .. 3 (very positive). */
export const SENTIMENT_WORDS: ReadonlyMap<string, number> = new Map([
  // English
  ...weighted(1, 'good nice thanks thank fine ok okay quick fast easy works worked cool'),
  ...weighted(
    2,
    'great love loved happy glad helpful satisfied recommend beautiful appreciate appreciated pleased best',
  ),
  ...weighted(3, 'excellent amazing awesome perfect wonderful fantastic brilliant outstanding superb'),
  ...weighted(-1, 'late delayed slow problem issue missing refund cancel waiting error confusing'),
  ...weighted(
    -2,
    'bad wrong angry upset disappointed disappointing unhappy broken damaged poor complaint annoyed frustrated ridiculous rude sucks fake defective fail failed',
  ),
  ...weighted(-3, 'terrible awful horrible worst hate useless scam unacceptable disgusting furious'),
  // Portuguese
  ...weighted(1, 'bom boa legal rapido rapida obrigado obrigada valeu certo'),
  ...weighted(2, 'otimo otima gostei adoro lindo linda feliz satisfeito satisfeita recomendo top show'),
  ...weighted(3, 'excelente maravilhoso maravilhosa adorei amei perfeito perfeita incrivel sensacional'),
  ...weighted(-1, 'atrasado atrasada atraso demora problema cancelar esperando'),
  ...weighted(
    -2,
    'ruim errado errada chateado chateada decepcionado decepcionada quebrado quebrada defeito reclamacao insatisfeito insatisfeita triste irritado irritada',
  ),
  ...weighted(-3, 'pessimo pessima horrivel odeio odiei absurdo lixo golpe vergonha'),
  // Spanish
  ...weighted(1, 'bueno buena bien rapida gracias vale'),
  ...weighted(2, 'genial encanta encanto contento contenta recomiendo lindo bonito bonita'),
  ...weighted(3, 'maravilloso maravillosa perfecto perfecta increible estupendo estupenda'),
  ...weighted(-1, 'retraso retrasado demora'),
  ...weighted(-2, 'malo mala equivocado equivocada enojado enojada molesto molesta roto rota queja insatisfecho'),
  ...weighted(-3, 'pesimo pesima odio estafa fatal asco'),
]);

/** Words that turn the polarity of the next few words ("not good", "não gostei", "no funciona"). */
export const NEGATORS: ReadonlySet<string> = new Set(
  (
    'not no never nothing nobody none nor without dont doesnt didnt isnt arent wasnt werent cant cannot couldnt wont wouldnt shouldnt havent hasnt hadnt aint ' +
    'nao nunca nem jamais nada nenhum nenhuma sem ' +
    'ni jamas tampoco ningun ninguno ninguna sin'
  ).split(' '),
);

/** Words that strengthen the next sentiment word ("very good", "muito ruim", "muy bueno"). */
export const INTENSIFIERS: ReadonlySet<string> = new Set(
  'very really so extremely super too totally absolutely muito muita demais bastante muy tan realmente sumamente'.split(
    ' ',
  ),
);

/** Clause breaks beyond punctuation: a negation does not reach past "but". */
export const CLAUSE_BREAKS: ReadonlySet<string> = new Set(['|', 'but', 'however', 'mas', 'porem', 'pero', 'sino']);

export const POSITIVE_EMOJI = /[😀😃😄😁😆😊🙂😍🥰😘👍💯🙏👏🎉😎🤩❤💖💕✨]/gu;
export const NEGATIVE_EMOJI = /[😡😠🤬👎😞😢😭😤💔😒🙄😩😫😖😣]/gu;

/** Common words of each language, as people write them (accents kept, and the usual unaccented spellings). */
export const STOPWORDS: Readonly<Record<string, ReadonlySet<string>>> = {
  en: new Set(
    "the and is are you i to of a in it my for this that have has do does what how can with not please thanks thank hello hi your me be was will would i'm im it's don't there here an at on or if from any when where which who".split(
      ' ',
    ),
  ),
  pt: new Set(
    'o a os as de do da dos das que e é não nao um uma para pra com por favor obrigado obrigada olá ola oi você voce vocês voces meu minha está esta estou tem têm quero gostaria isso mas no na eu se ainda também tambem já ja bom boa dia tarde noite quanto custa como qual onde quando muito pedido ele ela são sao foi vai tudo produto veio chegou preciso pode meu seu sua mais tenho fazer obrigado até ate'.split(
      ' ',
    ),
  ),
  es: new Set(
    'el la los las de del que y es no un una para con por favor gracias hola usted ustedes mi está esta estoy tiene tienen quiero quisiera eso pero en yo si sí todavía todavia también tambien ya buenos buenas días dias tardes noches cuánto cuanto cuesta cómo como cuál cual dónde donde cuando muy pedido él ella hay son fue va todo producto llegó llego necesito puede tengo hacer más mas hasta'.split(
      ' ',
    ),
  ),
  fr: new Set(
    'le la les des du de et est je vous tu il elle nous un une pour avec pas ne merci bonjour salut mon ma mes est-ce qui que quoi comment combien où oui non très'.split(
      ' ',
    ),
  ),
  de: new Set(
    'der die das und ist ich sie du er wir ein eine einen nicht mit für auf bitte danke hallo guten tag mein meine wie was wo wann ja nein sehr haben habe'.split(
      ' ',
    ),
  ),
  it: new Set(
    'il lo la gli le di del della e è che non un una per con grazie ciao buongiorno mio mia come quanto dove quando sì molto sono ho vorrei'.split(
      ' ',
    ),
  ),
};

/** Letters only some of the languages use: each occurrence counts as one common word of theirs. */
export const LETTER_HINTS: readonly (readonly [RegExp, string])[] = [
  [/[ãõ]/gu, 'pt'],
  [/ç/gu, 'pt'],
  [/[ñ¿¡]/gu, 'es'],
  [/ß/gu, 'de'],
];

/** Scripts that name their language on their own. */
export const SCRIPT_LANGUAGES: readonly (readonly [RegExp, string])[] = [
  [/[\u3040-\u30ff]/u, 'ja'],
  [/[\uac00-\ud7af]/u, 'ko'],
  [/[\u4e00-\u9fff]/u, 'zh'],
  [/[\u0400-\u04ff]/u, 'ru'],
  [/[\u0600-\u06ff]/u, 'ar'],
  [/[\u0590-\u05ff]/u, 'he'],
  [/[\u0900-\u097f]/u, 'hi'],
  [/[\u0e00-\u0e7f]/u, 'th'],
  [/[\u0370-\u03ff]/u, 'el'],
];

/** Words that make a conversation urgent or escalated (folded). */
export const URGENCY_WORDS: readonly string[] = [
  'urgent',
  'urgently',
  'asap',
  'immediately',
  'emergency',
  'right away',
  'as soon as possible',
  'urgente',
  'urgencia',
  'imediatamente',
  'o quanto antes',
  'o mais rapido possivel',
  'inmediatamente',
  'lo antes posible',
  'cuanto antes',
];

export const ESCALATION_WORDS: readonly string[] = [
  'lawyer',
  'sue',
  'police',
  'chargeback',
  'fraud',
  'scam',
  'advogado',
  'procon',
  'reclame aqui',
  'processar',
  'golpe',
  'fraude',
  'abogado',
  'denuncia',
  'demanda',
  'estafa',
];

/** Filler words that never make a summary sentence or a tag on their own (on top of every language's stopwords). */
export const FILLER_WORDS: ReadonlySet<string> = new Set(
  'want would like need please hello thanks thank know there here about could some just more also been being them they their then than very really much many okay yes yeah sure well still have gostaria preciso queria sobre algum alguma pode podem favor gracias necesito quisiera sobre algun alguna puede pueden'.split(
    ' ',
  ),
);
