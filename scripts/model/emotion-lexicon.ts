/**
 * A small English → French lexicon of emotion words, written for this project, grouped by the
 * GoEmotions label each word expresses. FreeDict's word list is general-purpose and misses much
 * of the affective vocabulary ("angry", "outrageous", "scared"…), and Apertium's MT picks one
 * rendering per word; these entries widen what the code-switched copies teach the model about
 * real French emotion words, and become short labelled French examples (see augment.ts).
 * Most labels are the one of highest lift among the GoEmotions training comments containing the
 * English word (neutral excluded); where that lift rests on a handful of comments and is plainly
 * wrong ("outrage" → curiosity over 7, "lies" → joy, "tired" → nervousness) or there are too few
 * comments (scandal, mocking, contempt), the label is the word's meaning.
 */
export const LEXICON_BY_LABEL: Record<string, Record<string, string[]>> = {
  anger: {
    angry: ["en colère", "furieux", "fâché", "énervé", "enragé"],
    anger: ["colère", "rage", "fureur"],
    mad: ["furieux", "fou de rage", "en colère"],
    furious: ["furieux", "furax", "hors de moi"],
    rage: ["rage", "fureur"],
    outrage: ["scandale", "indignation", "honte"],
    outrageous: ["scandaleux", "inadmissible", "honteux", "révoltant"],
    outraged: ["indigné", "révolté", "outré"],
    hate: ["déteste", "hais", "haine"],
    stupid: ["stupide", "débile", "con", "idiot"],
    idiot: ["idiot", "abruti", "crétin"],
    liars: ["menteurs", "escrocs"],
    fuck: ["putain", "bordel"],
    fucking: ["putain de", "foutu"],
    bullshit: ["foutaises", "conneries", "n'importe quoi"],
    scandal: ["scandale", "honte"],
    toxic: ["toxique", "nocif"],
    scandalous: ["scandaleux", "honteux"],
    insulting: ["insultant", "méprisant"],
  },
  annoyance: {
    pissed: ["énervé", "vénère", "furax"],
    annoying: ["agaçant", "énervant", "pénible", "saoulant"],
    annoyed: ["agacé", "énervé", "saoulé"],
    irritating: ["irritant", "agaçant"],
    shit: ["merde", "chier"],
    damn: ["putain", "bon sang", "zut"],
    idiots: ["cons", "abrutis", "crétins"],
    mock: ["se moquer", "se fout de"],
    mocking: ["se moque de", "se fout de", "foutage de gueule"],
    fed: ["marre", "ras le bol"],
    tired: ["marre", "fatigué", "las"],
  },
  disapproval: {
    unacceptable: ["inadmissible", "inacceptable", "intolérable"],
    disgrace: ["honte", "déshonneur"],
    lie: ["mensonge", "mentir"],
    lies: ["mensonges", "bobards"],
    wrong: ["faux", "tort", "mal"],
    disagree: ["pas d'accord", "désapprouve"],
    irresponsible: ["irresponsable", "inconscient"],
    incompetent: ["incompétent", "nul", "nuls"],
  },
  embarrassment: {
    shame: ["honte"],
    shameful: ["honteux"],
    embarrassed: ["gêné", "honteux", "embarrassé"],
    embarrassing: ["gênant", "la honte"],
  },
  disgust: {
    ridiculous: ["ridicule", "grotesque"],
    disgusting: ["dégoûtant", "écœurant", "répugnant", "ignoble", "dégueulasse"],
    disgusted: ["dégoûté", "écœuré"],
    gross: ["dégueu", "répugnant", "immonde"],
    vile: ["ignoble", "abject"],
    pathetic: ["pathétique", "lamentable", "minable"],
    awful: ["affreux", "horrible", "lamentable"],
    contempt: ["mépris", "dédain"],
  },
  sadness: {
    sick: ["malade", "écœuré"],
    sad: ["triste", "malheureux", "peiné"],
    sadness: ["tristesse", "chagrin", "peine"],
    heartbroken: ["effondré", "le cœur brisé"],
    crying: ["pleure", "en larmes"],
    cry: ["pleurer", "larmes"],
  },
  fear: {
    afraid: ["peur", "effrayé", "craint"],
    scared: ["peur", "effrayé", "apeuré", "terrifié"],
    scary: ["effrayant", "flippant", "terrifiant", "inquiétant"],
    fear: ["peur", "crainte", "angoisse"],
    terrified: ["terrifié", "terrorisé", "mort de peur"],
    terrifying: ["terrifiant", "angoissant"],
    danger: ["danger", "menace"],
    dangerous: ["dangereux", "toxique"],
    terrible: ["terrible", "horrible", "affreux"],
    horrible: ["horrible", "atroce"],
    poison: ["poison", "empoisonner", "toxique"],
  },
  nervousness: {
    worried: ["inquiet", "inquiète", "soucieux"],
    worry: ["inquiétude", "souci", "inquiète"],
    anxious: ["anxieux", "angoissé", "stressé"],
    anxiety: ["angoisse", "anxiété", "stress"],
    nervous: ["nerveux", "stressé", "tendu"],
    panic: ["panique", "affolement"],
  },
  disappointment: {
    depressed: ["déprimé", "abattu"],
    depressing: ["déprimant", "triste"],
    unfortunately: ["malheureusement", "hélas"],
    disappointed: ["déçu", "déçue"],
    disappointing: ["décevant", "dommage"],
  },
  remorse: {
    sorry: ["désolé", "navré", "pardon"],
    regret: ["regret", "regrette"],
    guilty: ["coupable"],
  },
  grief: {
    grief: ["deuil", "chagrin"],
    loss: ["perte", "deuil"],
    died: ["mort", "décédé"],
    rip: ["rip", "repose en paix"],
  },
  surprise: {
    surprised: ["surpris", "étonné"],
    surprise: ["surprise", "étonnement"],
    shocked: ["choqué", "sidéré", "stupéfait"],
    shocking: ["choquant", "hallucinant"],
    wow: ["waouh", "ouah", "whaou"],
    unbelievable: ["incroyable", "hallucinant", "dingue"],
    wonder: ["me demande", "je me demande"],
  },
  confusion: {
    confused: ["perdu", "confus", "déboussolé"],
    understand: ["comprends", "comprendre"],
    why: ["pourquoi"],
  },
  realization: {
    realize: ["réalise", "me rends compte"],
  },
  joy: {
    happy: ["heureux", "content", "ravi"],
    joy: ["joie", "bonheur"],
  },
  relief: {
    glad: ["content", "ravi"],
    relieved: ["soulagé", "soulagée"],
    relief: ["soulagement"],
  },
  love: {
    love: ["aime", "adore", "amour"],
  },
  admiration: {
    great: ["génial", "super", "top"],
    awesome: ["génial", "trop bien", "excellent"],
    amazing: ["incroyable", "magnifique", "génial"],
    beautiful: ["magnifique", "beau", "belle"],
  },
  gratitude: {
    thanks: ["merci", "merci beaucoup"],
    thank: ["merci", "remercie"],
    grateful: ["reconnaissant", "reconnaissante"],
  },
  amusement: {
    funny: ["drôle", "marrant", "rigolo"],
    lol: ["mdr", "ptdr", "lol"],
    haha: ["haha", "mdr"],
    joke: ["blague", "plaisanterie"],
  },
  excitement: {
    excited: ["impatient", "excité", "hâte"],
  },
  optimism: {
    hope: ["espoir", "espère"],
    hopefully: ["j'espère", "espérons"],
  },
  pride: {
    proud: ["fier", "fière"],
  },
  caring: {
    care: ["prends soin", "courage"],
  },
  approval: {
    agree: ["d'accord", "tout à fait"],
    yes: ["oui", "ouais"],
  },
  desire: {
    want: ["veux", "voudrais", "envie"],
    wish: ["souhaite", "aimerais"],
  },
};

/** English word → French translations, whatever the label. */
export const EMOTION_LEXICON: Record<string, string[]> = Object.assign({}, ...Object.values(LEXICON_BY_LABEL));

/**
 * Emoji whose meaning is unambiguous for one label. GoEmotions has few emoji while posts have
 * many, so training copies get one of these appended (see train.ts) to teach them.
 */
export const LABEL_EMOJI: Record<string, string[]> = {
  anger: ["😡", "😠", "🤬"],
  annoyance: ["🙄", "😤", "😒"],
  disgust: ["🤮", "🤢"],
  fear: ["😱", "😨", "😰"],
  nervousness: ["😬", "😰"],
  sadness: ["😢", "😭", "💔"],
  grief: ["💔", "🖤", "🕯"],
  surprise: ["😮", "😲", "🤯"],
  confusion: ["🤔", "😕"],
  amusement: ["😂", "🤣", "😆"],
  joy: ["😀", "😁", "🥳"],
  love: ["❤", "😍", "🥰"],
  gratitude: ["🙏"],
  admiration: ["👏", "😍"],
  excitement: ["🎉", "🤩"],
  approval: ["👍", "👌"],
  caring: ["🤗", "💪"],
  embarrassment: ["😳", "🙈"],
};
