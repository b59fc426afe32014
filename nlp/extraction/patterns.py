"""Patterns of news-page furniture that survives boilerplate removal, and of bylines.

Data only; the logic that applies it is in :mod:`newsarchive.nlp.extraction.clean` (text) and
:mod:`newsarchive.nlp.extraction.meta` (bylines). Every line pattern is matched against one
whole extracted line (case-insensitive, stripped) and bounds its own length,
so a sentence of the story that happens to start with "Read more" is never
touched; lines longer than :data:`MAX_NOISE_LINE_CHARS` are never candidates.

The patterns are general to news sites (audio players, "read more" teasers,
picture credits, newsletter and social prompts, "more stories" boxes); none names a particular site.
"""

from __future__ import annotations

# Longer lines are article prose, whatever words they start with. (Each
# pattern bounds its own length too; this is the outer limit.)
MAX_NOISE_LINE_CHARS = 300

# "Read also" in the languages of European news sites: phrases that only ever point to another
# page, so the headline after them may follow without a colon ("À lire aussi La natalité ...")
READ_ALSO: tuple[str, ...] = (
    r"lesen sie auch", r"lees ook", r"(à |a )?lire (aussi|également)",
    r"(lee|lea) también", r"leia também", r"czytaj (więcej|też|także|również)",
    r"(čtěte|přečtěte si) (také|též)", r"les også", r"läs också", r"læs også", r"lue myös",
)
# Phrases that may also open a sentence ("Auch interessant ist, dass ..."): furniture only alone
# or before a colon or a bar and a headline
MORE_ON_THIS: tuple[str, ...] = (
    r"more", r"auch interessant", r"mehr zum thema", r"weiterlesen", r"lesen sie mehr",
    r"(das )?könnte sie auch interessieren", r"ähnliche( artikel| beiträge| themen)?",
    r"lees (meer|verder)", r"(zie|bekijk) ook", r"voir aussi", r"lire la suite", r"sur le même sujet",
    r"leer más", r"te puede interesar", r"noticias? relacionadas?", r"leia mais", r"(veja|saiba) (também|mais)",
    r"leggi (tutto|di più)", r"potrebbe interessarti", r"zobacz (też|także|również)", r"související články",
    r"les mer", r"läs mer", r"læs mere", r"lue lisää",
)

# Whole lines that are page furniture.
NOISE_LINES: tuple[str, ...] = (
    # "read also" lines, bare or with their headline ("Lesen Sie auch: ...", "À lire aussi ...")
    rf"({'|'.join(READ_ALSO)})(\W{{0,3}}|\s*[:|\-–—]?\s*\S.{{0,150}}[^.])",
    rf"({'|'.join(MORE_ON_THIS)})(\W{{0,3}}|\s*[:|\-–—]\s*\S.{{0,150}})",
    # audio players and reading aids
    r"listen to (this|the) (article|story)( \d+ min(ute)?s?)?\.?",
    r"loading audio\W*",
    r"(audio|play|pause|listen)( now)?\W*",
    r"\d+ min(ute)?s? (read|listen)\W*",
    r"(estimated )?reading time:? \d+ min(ute)?s?\.?",
    # the same in other European languages ("Lesedauer: 4 Minuten", "Temps de lecture : 3 min")
    r"(lesedauer|lesezeit|temps de lecture|tiempo de lectura|tempo di lettura|tempo de leitura|leestijd|"
    r"czas czytania|lesetid|läsetid|læsetid|lukuaika)\s*:?\s*(ca\.\s*)?\d+\s*(min\w*|minuten|minutes?)\.?",
    r"this (audio|article) (is|was) (auto-?generated|produced)[^.]{0,80}\.?",
    # the text of a web video player's menus and dialogs (video.js and its kind)
    r"this is a modal window\..{0,200}",
    r"(beginning|end) of dialog window\..{0,200}",
    r"no compatible source was found for this media\.?",
    r"the media could not be loaded\b.{0,200}",
    r"(- )?[\w ]{1,30}(,| off,) selected",
    # the messages of a sign-up form, written into the page before they are needed
    r"thanks? (you )?for (signing up|subscribing|registering)\W*",
    r"keep an eye on your inbox\b.{0,100}",
    # (the form's own words only: "An error occurred in the reactor's cooling system, officials
    # said" and "There was an error processing mail-in ballots" are story lines)
    r"(sorry\W*)?(there was an|an) error (has )?(occurred|processing your [\w ]{1,30})\W*(please try again( later)?\W*)?",
    # a lower-case slug standing alone (a layout's breakpoint or template name: "medium-wide-browser")
    r"(?-i:(- )?[a-z]+(-[a-z]+){2,})",
    # teasers and cross-links
    r"(read|see) (more|also|next)",
    r"(read|see) (more|also|next)( on this| about this)?( story| stories)?\s*[:|\-–—]\s*\S.{0,140}",
    r"(related|recommended|more on this|more from|further reading)( (stories|articles|coverage|content|reading))?\s*[:|].{0,140}",
    r"(related|recommended)( (stories|articles|coverage|content))?",
    r"also (on|at|in) [\w-]+(\.[\w-]+)+\b.{0,160}",
    r"(like|liked|enjoy|enjoyed|love|loved) (this|the) (story|article|post)\?.{0,80}",
    r"(tell us what you think|what do you think|have your say|join the (conversation|discussion))\W{0,5}",
    r"(have a (news )?tip|got a (news )?tip|send us a tip)\b.{0,100}",
    r"\[(\w+)\b[^\]]{0,200}\].{0,200}\[/\w+\]",
    r"\[\w+\s+\w+\s*=[^\]]{0,200}\]",
    r"\[/\w+\]",
    # bare date stamps above or below the story: the keyword, then a time or a date within a few words
    r"(last )?(updated|published|posted|modified)( on| at)?:?\s+"
    r"(?=.{0,40}(\d{1,2}[:.]\d{2}\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\d{4}-\d{2}-\d{2}|"
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}\b|\b\d{1,2} (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)))"
    r"(\S+\s*){1,10}",
    r"(click|tap) here to (subscribe|sign up|register|get (the|our) .{0,40}\bapp|download (the|our) .{0,40}\bapp|follow|read more|see more).{0,100}",
    r"(advertisement|advertising|sponsored( content)?|story continues below( advertisement)?|continue reading( below)?)\W*",
    r"(- )?advertisement\W{0,3}[\w-]{0,30}\s*story continues below\W*",  # "Advertisement 1Story continues below"
    # advertisement labels of other European languages, and the "skip the ad" link
    r"(passer la |skip (the )?)?(publicité|anzeige|werbung|publicidad|pubblicità|reklama|advertentie|annonse|annons|mainos|ad)\W*",
    r"scroll (down )?to (continue|read).{0,40}",
    # breadcrumbs above the headline ("Home > World > Africa")
    r"home\s*[>›»|/]\s*[\w ,&'-]{1,40}(\s*[>›»|/]\s*[\w ,&'-]{1,40}){0,4}",
    # any trail of three or more short section names joined by arrows ("Tech > News > Apps > Article")
    r"[\w ,&'.-]{1,40}(\s*[>›»]\s*[\w ,&'.-]{1,40}){2,6}",
    # picture and video credits
    r"[^.]{0,200}\.\s*(picture|photo|photograph|image|illustration|bild|foto|imagen|immagine)\s*:\s*[\w .&'/-]{1,60}",
    r"(picture|photo|photograph|image|video|illustration|bild|foto|imagen|immagine)s?( credit)?\s*:.{0,120}",
    r"(picture|photo|image)s? (by|courtesy of) .{0,100}",
    r"(getty images|reuters|ap photo|afp|shutterstock|alamy|pa( media| wire)?)(\s*/\s*[\w .]+)?",
    r"(caption|credit)\s*:.{0,120}",
    r"(enlarge|expand|toggle caption|hide caption|image caption|media caption)\b.{0,120}",
    # newsletters, sharing and accounts
    r"(sign up|subscribe|register)( now| today| here)?( (to|for)\b.{0,120})?",
    r".{0,60}\bnewsletters?\b.{0,60}(sign up|subscribe|inbox|email address).{0,60}",
    r"(get|receive) (our|the) .{0,60}(newsletter|in your inbox|delivered).{0,60}",
    r"(?=.{0,200}\b(sign up|subscribe)\b)(?=.{0,200}\b(newsletter|inbox)\b).{10,240}",
    r"([\w'’-]+ ){0,4}newsletters?\W{0,3}",
    r"(don'?t|do not) miss\W{0,3}",
    r".{10,200}(?-i:\[[A-Z][A-Z ]{2,20}\])\W{0,3}",  # tabloid teaser: "Headline here [VIDEO]"
    r"(share|share this|share on|follow us on|follow) (article|story|on)?\s*(facebook|twitter|x|linkedin|whatsapp|email|instagram|telegram|pinterest|reddit)?\W*",
    r"(share|share this|share on)( this)? (article|story|page)?\s*:?\s*"
    r"((facebook|twitter|x|linkedin|whatsapp|email|e-mail|instagram|telegram|pinterest|reddit|copy link)\W*){1,10}",
    r"(share|tweet|email|print|comment|comments|copy link|save|save article)( this (article|story))?\W*",
    r"(order )?reprints?|print( this)? (article|story|page)|(text|font) size|by",  # article tools
    r"this (copy|article|material|content) is for your personal,? non-?commercial use only\b.{0,300}",
    r"if you (enjoyed|liked|value|appreciate)d? (this|our) (article|story|journalism|reporting|work)\b.{0,300}",
    r"(follow|like) us on (facebook|twitter|x|instagram|linkedin|tiktok|youtube).{0,80}",
    r"(already a subscriber|log ?in|sign ?in)\b.{0,80}",
    r"(we use cookies|this site uses cookies).{0,120}",
    # paywall notices: the rest of the story is for subscribers
    r"il vous reste \d+([.,]\d+)? ?% de (cet |l')article à lire\b.{0,120}",
    r"la suite est réservée aux abonnés\b.{0,80}",
    r"(the rest of )?this (article|story|content) is (only )?(available )?(exclusively )?(for|to) (paid )?(subscribers|members)( only)?\b.{0,100}",
    r".{0,30}(会員|購読者)限定.{0,40}",
    r"(download|get) (the|our) .{0,40}\bapp\b.{0,80}",
    r"(trending|most read|most popular|top stories|latest news|you may also like|you might also like|more stories)\W*",
)

# Headings that open the "more stories" box after an article: nothing after them is the story.
END_OF_STORY_HEADINGS: tuple[str, ...] = (
    r"(more|related|recommended|popular|latest|top|trending|further|other)\b.{0,40}"
    r"\b(stories|articles|news|reads|reading|posts|coverage|headlines)((\s+(from|on|about|in)\s.{0,40}))?\W{0,3}",
    r"(you (may|might) also (like|enjoy)|also on|most (read|popular|viewed|shared))\b.{0,40}",
)
MAX_HEADING_CHARS = 60

# Furniture glued to the end of a line of prose: removed, the prose kept.
NOISE_SUFFIXES: tuple[str, ...] = (
    r"\s*click to tweet",
)

# Bylines that name no person: dropped from the author field.
NON_PERSON_BYLINES: tuple[str, ...] = (
    r"(by )?(staff|news|online|web|digital) (reporter|writer|desk|team|staff)s?",
    r"(by )?(our )?(own )?correspondents?",
    r"(by )?(the )?(associated press|reuters|afp|ap|press association|pa|agencies|agency|wire services?|staff)",
    r"(by )?(editorial|news|the) (board|desk|team|staff)",
    r"(by )?admin(istrator)?",
    r"(by )?guest( author| contributor)?",
    r"(by )?(unknown|anonymous)",
    r"the \w+.*",
    r".*\bcommented\b.*",
)

# Words that mark an author string as an organisation rather than a person.
NON_PERSON_WORDS: tuple[str, ...] = (
    "news", "desk", "staff", "reporter", "team", "press", "agency", "agencies", "media",
    "newsroom", "editorial", "editors", "service", "wire", "online", "magazine", "times",
    "post", "daily", "journal", "group", "inc", "ltd", "llc", "gmbh", "network", "bureau",
    "international", "business", "politics", "sports", "sport", "world", "newsletter", "radio",
    "tv", "television", "channel", "blog", "editor", "contributors", "correspondent",
)

# Phrases in author strings that precede or follow the names themselves.
BYLINE_NOISE: tuple[str, ...] = (
    r"^\s*(written |reported |story |words )?by\s*:?\s+",
    r"\s*[|,]?\s*(senior |chief |staff |special |political |foreign |technology |business |science |health )*"
    r"(correspondent|reporter|editor|writer|columnist|contributor|producer|analyst)\b.*$",
    r"\s*\bfor\s+(the\s+)?[A-Z][\w.]*(\s+[A-Z][\w.]*)*\s*$",
    r"\s*\b(updated|published|posted)\b.*$",
    r"\s*\S+@\S+",
    r"\s*@\w+",
    r"^\s*(text|words|photos?|текст|фото)\s*:?\s+",
    r"\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b.*$",
    # a date glued after the name ("Carrie Arnold November 15, 2019")
    r"\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d.*$",
    r"\s+(january|february|march|april|june|july|august|september|october|november|december)\s*$",
)
