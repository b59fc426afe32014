"""Article content for the demo site (written for the project; fictional outlets and reporters)."""

OUTLETS = {
    "harbour-herald": dict(name="The Harbour Herald", country="GB", language="en"),
    "westgate-post": dict(name="Westgate Evening Post", country="GB", language="en"),
    "capital-dispatch": dict(name="The Capital Dispatch", country="US", language="en"),
    "northbridge-observer": dict(name="The Northbridge Observer", country="IE", language="en"),
}

ARTICLES = []


def art(**kw):
    ARTICLES.append(kw)


# ---------------------------------------------------------------- The Harbour Herald
art(
    key="hh-mod-emails", outlet="harbour-herald", section="uk", date="2023-07-28", time="08:40",
    slug="mod-emails-sent-to-mali-by-mistake",
    title="Defence ministry admits emails meant for US military were sent to Mali",
    author="Rosalind Okafor-Pryce", story="uk-mod-ml-emails", listen=True,
    standfirst="A handful of messages went to Mali's .ml domain instead of the American .mil, the ministry says.",
    picture=("A sign outside the Ministry of Defence main building in Whitehall", "Northlight Images"),
    readmore={2: ["hh-putin-grain"]},
    paras=[
        "The Ministry of Defence has opened an investigation after officials sent a small number of emails to addresses in Mali, a west African country that counts Russia among its closest allies.",
        "The messages were meant for colleagues in the United States armed forces, whose email addresses end in .mil. Instead they were addressed to the .ml domain, the internet country code that belongs to Mali.",
        "A spokesperson for the ministry said the emails had been forwarded to the wrong domain by mistake, and that officials were confident none of them held anything that could put operational security or technical data at risk.",
        "The ministry added that sensitive material is handled on separate systems built to reduce the chance of it going astray, and that it is already working through a programme to tighten information management and prevent data loss.",
        "The slip is far smaller than the American one that came to light earlier this month, when it emerged that millions of messages intended for .mil addresses had been typed with the missing letter and had ended up in Mali over a period of years.",
        "Mali's military government has drawn closer to Moscow since it took power. Fighters from the Wagner group, the Russian mercenary organisation, have been deployed in the country alongside the Malian army, and on Thursday Mali was among six African states that Vladimir Putin promised free grain following the end of the Black Sea shipping deal.",
        "Earlier this week Antony Blinken, the US Secretary of State, said Washington was imposing sanctions on senior Malian defence officials, including the defence minister, for helping Wagner operate in the country.",
        "The ministry did not say how many emails had been sent, who had written them, or when they were sent.",
    ],
)
art(
    key="hh-putin-grain", outlet="harbour-herald", section="world", date="2023-07-28", time="07:15",
    slug="putin-free-grain-african-states",
    title="Putin promises free grain to six African countries at St Petersburg summit",
    author="Callum Whitlow", story="russia-africa-grain", listen=False,
    standfirst="The offer follows Moscow's withdrawal from the Black Sea grain arrangement.",
    picture=("Delegates arrive for the Russia-Africa summit in St Petersburg", "PressPool Photo"),
    readmore={3: ["hh-mod-emails"]},
    paras=[
        "Vladimir Putin has told African leaders gathered in St Petersburg that Russia will send free grain to six of their countries over the coming months, days after Moscow pulled out of the deal that allowed Ukrainian grain to leave Black Sea ports.",
        "Speaking on the opening day of the Russia-Africa summit, the Russian president named Burkina Faso, Zimbabwe, Mali, Somalia, the Central African Republic and Eritrea as recipients. He said each would receive between 25,000 and 50,000 tonnes within three to four months.",
        "The Black Sea arrangement, brokered by the United Nations and Turkey last summer, lapsed on 17 July after Russia refused to extend it. Western governments and aid agencies have warned that its collapse will push up food prices in countries that rely on imports.",
        "Fewer heads of state travelled to this year's summit than attended the first one in 2019, and several African leaders used their speeches to press for the grain corridor to be restored rather than replaced with donations.",
        "Mali, whose military rulers invited Russian mercenaries from the Wagner group into the country, has been one of Moscow's most outspoken supporters on the continent.",
        "Diplomats said the quantities promised were small compared with the volumes that moved through the Black Sea corridor while it operated.",
    ],
)
art(
    key="hh-uk-weather", outlet="harbour-herald", section="weather", date="2023-07-29", time="10:05",
    slug="rain-warnings-holiday-weekend",
    title="Rain warnings issued as soggy July ends with a washout weekend",
    author="Priya Ashdown", story="uk-weather-rain", listen=False,
    standfirst="Forecasters say August will start unsettled too.",
    picture=("Umbrellas on the seafront promenade on Friday afternoon", "Northlight Images"),
    readmore={2: ["hh-regatta"]},
    paras=[
        "Yellow warnings for heavy rain cover much of the south-west of England and south Wales this weekend, rounding off a July that forecasters say has been one of the wettest in years.",
        "Up to 40mm of rain could fall in a few hours on exposed hills on Saturday, with the risk of surface water on roads and delays to trains. Coastal areas can also expect strong gusts.",
        "The grey skies are a sharp contrast with southern Europe, where holidaymakers have been coping with temperatures well above 40C and wildfires on several Greek islands.",
        "Campsite owners along the coast said bookings for the last week of July had held up, but many families had cut their stays short. One site manager said he had lent out more wellington boots than deckchairs this month.",
        "The jet stream, which steers weather systems across the Atlantic, has been sitting further south than usual, forecasters explained. That pattern has kept a run of low-pressure systems heading towards the British Isles.",
        "There is little sign of a lasting change in the first week of August, although there should be drier and brighter spells between the showers, especially in the east.",
    ],
)
art(
    key="hh-regatta", outlet="harbour-herald", section="local", date="2023-07-30", time="17:20",
    slug="harbour-regatta-record-entries",
    title="Harbour regatta draws record entries despite gusty conditions",
    author="Priya Ashdown", story="local-regatta", listen=False,
    standfirst="More than 140 boats took part in the 112th running of the event.",
    picture=("Dinghies round the outer mark during the junior race", "Quayside Photography"),
    readmore={3: ["hh-uk-weather"]},
    paras=[
        "A record 143 boats lined up for the annual harbour regatta on Sunday, with organisers praising crews for coping with gusts that forced two races to be shortened.",
        "The event, first held in 1911, has grown steadily since the sailing club opened its junior academy five years ago. Almost a third of this year's entries came from sailors under 16.",
        "The main keelboat trophy went to Second Wind, skippered by retired ferry captain Morwenna Tregear, who won it for the first time after finishing runner-up on four occasions.",
        "Conditions were at their toughest in the early afternoon, when a squall swept across the harbour mouth and flattened several of the smaller sails. Race officers held the start of the cadet race for twenty minutes until the gusts had passed.",
        "Lifeboat volunteers were called out twice during the afternoon to help capsized dinghies, but no one was hurt. The coastguard thanked spectators for keeping the slipway clear.",
        "The regatta committee said money raised from the quayside stalls would go towards a new safety boat. The closing fireworks display went ahead as planned after the wind eased in the evening.",
    ],
)
art(
    key="hh-barracks", outlet="harbour-herald", section="uk", date="2023-07-31", time="12:30",
    slug="mod-to-sell-eastmoor-barracks-site",
    title="Ministry of Defence confirms sale of Eastmoor barracks site for new homes",
    author="Gareth Penhallow", story="mod-barracks-sale", listen=True,
    standfirst="The 60-acre site could take up to 900 homes, the council says.",
    picture=("The gatehouse at Eastmoor barracks, which closed to troops in 2021", "PressPool Photo"),
    readmore={2: ["hh-mod-emails"]},
    paras=[
        "The Ministry of Defence has confirmed it will sell the former Eastmoor barracks, ending two years of uncertainty over the future of one of the largest empty sites in the county.",
        "The barracks closed to troops in 2021 as part of a wider review of the defence estate. The ministry said the land was no longer needed for military use and would be marketed to developers in the autumn.",
        "The district council has earmarked the site for up to 900 homes, a primary school and a health centre. Council leader Bernadette Quayle said residents had been clear that they wanted the parade ground kept as open space.",
        "The Defence Infrastructure Organisation, which manages the ministry's land, said money from sales of surplus sites would be reinvested in accommodation for service families elsewhere.",
        "Some former soldiers who served at Eastmoor have asked for the regimental chapel to be preserved. The ministry said it would discuss the building's future with the buyer and the local heritage trust.",
        "A public exhibition of early plans will be held at the village hall in September.",
    ],
)
art(
    key="hh-mod-what-we-know", outlet="harbour-herald", section="uk", date="2023-08-01", time="09:00",
    slug="mod-mali-emails-what-we-know",
    title="MoD emails sent to Mali: what we know about the .ml mix-up",
    author="Rosalind Okafor-Pryce", story="uk-mod-ml-emails", listen=True,
    standfirst="A missing letter, a west African web domain and an investigation at the Ministry of Defence.",
    picture=("A laptop keyboard in an office at a defence establishment", "Northlight Images"),
    readmore={3: ["hh-putin-grain"], 6: ["hh-barracks"]},
    paras=[
        "Four days after the Ministry of Defence said it had sent emails to Mali by mistake, the ministry is still investigating how the messages went astray. Here is what has been confirmed so far.",
        "What happened? British officials trying to write to counterparts in the US armed forces used the wrong ending on the address. Military email in America uses the .mil domain; the messages were instead sent to .ml, which is the country code for Mali.",
        "How many emails were involved? The ministry has said only that it was a small number. It has not said when they were sent or which teams sent them.",
        "Was anything secret exposed? The ministry said it was confident that nothing in the emails could compromise operational security or technical data, and that classified material travels on separate systems designed to stop it being misdirected.",
        "Why does Mali matter? The country is run by a military government that has turned to Russia for support, and Russian mercenaries from the Wagner group operate there. Last week Washington sanctioned Mali's defence minister and two senior officers over their dealings with Wagner.",
        "Has this happened before? Yes, and on a far larger scale. In mid-July it was reported that the US military had been sending emails to .ml addresses for years, with millions of messages affected. A Dutch businessman who ran the domain for the Malian government had repeatedly warned American officials about it.",
        "What happens next? The ministry says it keeps its processes under constant review. Security specialists say the simplest fix is to stop outgoing mail from reaching .ml addresses at all unless a sender confirms it is intended.",
    ],
)

# ---------------------------------------------------------------- Westgate Evening Post
art(
    key="wp-us-emails", outlet="westgate-post", section="world/americas", num="481207", date="2023-07-18", time="13:10",
    slug="us-military-emails-mali-domain",
    title="US military emails went to Mali for years because of a one-letter typo",
    author="Tomasz Rydell", story="us-mil-ml-emails",
    standfirst="The man who ran Mali's internet domain says he warned Washington repeatedly.",
    picture=("The Pentagon in Arlington, Virginia", "Wirefoto"),
    readmore={3: ["wp-wagner-minusma"]},
    paras=[
        "Millions of emails intended for the US armed forces have spent the best part of a decade landing in Mali, because senders typed .ml, the country's web suffix, instead of the military's .mil.",
        "The problem came to light as control of the .ml domain passed back to the Malian government, which is closely aligned with Russia. Johannes Zuurbier, a Dutch entrepreneur whose company has managed the domain for about ten years, said he had tried for years to alert the American authorities.",
        "Among the messages that reached his systems were travel itineraries for senior officers, medical records, identity documents, maps of military installations and, in some cases, passwords. Many came from contractors, travel agents and service members using private accounts rather than official networks.",
        "Mr Zuurbier is reported to have collected more than 100,000 misdirected messages since the start of this year alone. None of them was marked classified, but security experts say the sheer volume could allow a hostile intelligence service to piece together a detailed picture of people and movements.",
        "His management contract expired on Monday, which means the Malian authorities are now in a position to read any email still arriving at the domain.",
        "The Pentagon said it was aware of the issue and took all unauthorised disclosures of controlled information seriously. It said emails sent directly from .mil accounts to the Malian domain are blocked before they leave, and the sender is told to check the address.",
    ],
)
art(
    key="wp-wagner-minusma", outlet="westgate-post", section="world/africa", num="481944", date="2023-07-26", time="11:45",
    slug="wagner-mali-un-peacekeepers-leave",
    title="Wagner stays as UN peacekeepers prepare to leave Mali",
    author="Tomasz Rydell", story="mali-minusma-withdrawal",
    standfirst="The Security Council has given the mission until the end of the year to withdraw.",
    picture=("A UN armoured vehicle on patrol near Gao", "Wirefoto"),
    readmore={2: ["wp-us-emails"]},
    paras=[
        "United Nations peacekeepers have begun handing over their first bases in Mali, a decade after the mission was set up, while Russian fighters from the Wagner group show no sign of leaving.",
        "The Security Council voted unanimously at the end of June to close the mission, known as Minusma, after Mali's military government demanded that the blue helmets go. The withdrawal of roughly 13,000 soldiers and police is supposed to be completed by 31 December.",
        "Mali's rulers, who seized power in coups in 2020 and 2021, have accused the UN of failing to stop jihadist violence in the north and centre of the country. They turned instead to Wagner, whose fighters arrived at the end of 2021.",
        "Last month's short-lived mutiny by Wagner's founder, Yevgeny Prigozhin, against the Russian military leadership raised questions about whether the group's African operations would continue. Officials in Bamako have insisted that their partnership is with the Russian state.",
        "Aid groups fear that the departure of the peacekeepers will leave towns in the north exposed, and that clashes could resume between the army and armed groups that signed a peace deal in 2015.",
        "France, the former colonial power, withdrew its own troops from Mali last year.",
    ],
)
art(
    key="wp-mod-explainer", outlet="westgate-post", section="uk/politics", num="482310", date="2023-07-28", time="15:25",
    slug="mod-emails-mali-one-letter",
    title="One missing letter: how Ministry of Defence emails ended up in Mali",
    author="Imogen Strachey", story="uk-mod-ml-emails",
    standfirst="The MoD insists nothing sensitive was lost. Experts say the risk is built into the address book.",
    picture=("An email inbox on a screen", "Wirefoto"),
    readmore={4: ["wp-us-emails"]},
    paras=[
        "It takes only a tired finger to do it. An official at the Ministry of Defence wants to email an American colleague at an address such as someone@army.mil, types someone@army.ml instead, and the message leaves Britain bound for a server connected to Mali.",
        "That, in essence, is what the ministry admitted on Friday. It said a small number of emails had been sent to the wrong domain and that it had launched an investigation, but that it was confident none of the messages contained information that could harm operational security.",
        "British defence staff normally write from addresses ending in mod.uk, and the wider civil service from gov.uk. Those domains belong to the UK. The US military owns .mil, one of the oldest suffixes on the internet. Mali's country code, .ml, differs from it by a single character.",
        "Because email software fills in addresses automatically, one mistaken entry can be repeated many times. Cyber security consultant Hal Brightwater said the lesson from the American case was that warnings to staff are not enough. \"You have to stop the message at the gateway. People will always make typing mistakes,\" he said.",
        "According to the ministry, its most sensitive traffic travels over separate networks that make this kind of slip unlikely, and a project to strengthen data loss prevention was already under way before the emails were discovered.",
        "The British admission follows reports earlier this month that the US military had misdirected millions of emails to .ml over several years. Mali is governed by a military junta that has welcomed Russia's Wagner mercenary group, and the timing is awkward for ministers who have been warning about Russian influence in Africa.",
        "The MoD did not say whether the recipients in Mali had replied to any of the messages.",
    ],
)
art(
    key="wp-bus", outlet="westgate-post", section="local", num="482455", date="2023-07-29", time="09:30",
    slug="night-bus-route-47-cut",
    title="Night bus route 47 faces axe under council budget plans",
    author="Delia Fenwick", story="local-bus-cuts",
    standfirst="Shift workers say the service is their only way home.",
    picture=("A route 47 bus at the Westgate interchange", "Post Photographer"),
    readmore={2: ["wp-cricket"]},
    paras=[
        "Westgate's only overnight bus route could be scrapped from October under plans drawn up to close a gap of 2.4 million pounds in the county transport budget.",
        "Route 47 runs hourly between the railway station, the general hospital and the Brookfield estate from midnight until 5am. The county council pays a subsidy of about 310,000 pounds a year to keep it running.",
        "Nurses and porters at the hospital have started a petition, which had more than 1,800 signatures by Friday evening. Staff nurse Kezia Oyelaran said the bus was the only safe way for many colleagues to get home after late shifts.",
        "Councillor Graham Petch, the cabinet member for transport, said no final decision had been taken. \"Every subsidised route is being looked at, and we will listen to the consultation before anything changes,\" he said.",
        "The operator said passenger numbers on the route had recovered to about 80 per cent of their level before the pandemic.",
        "The consultation closes on 25 August, and the council's cabinet will meet to decide the budget in September.",
    ],
)
art(
    key="wp-cricket", outlet="westgate-post", section="sport", num="482690", date="2023-07-31", time="19:05",
    slug="westgate-cricket-club-county-final",
    title="Westgate Cricket Club reach county cup final with last-ball win",
    author="Hamish Loughran", story="sport-cricket-cup",
    standfirst="Teenager Ravi Okonedo hit the winning boundary.",
    picture=("Westgate players celebrate the winning run", "Post Photographer"),
    readmore={2: ["wp-bus"]},
    paras=[
        "Westgate Cricket Club will play in the county cup final for the first time in 17 years after a nerve-shredding semi-final against Ashcombe ended with a boundary off the last ball.",
        "Chasing 214 on a slow pitch at Mill Lane, Westgate needed four from the final delivery when 17-year-old Ravi Okonedo drove the ball through the covers and set off the celebrations.",
        "Captain Dominic Harlowe had earlier held the innings together with 78, and spinner Amira Castellane took three wickets as Ashcombe lost their way in the last ten overs of their innings.",
        "Ashcombe had looked in control when they reached 120 for one at the halfway stage, but a run out and two quick wickets for seamer Liam Grosvenor changed the mood of the afternoon. Westgate kept their opponents to 34 runs from the final eight overs.",
        "The club's chairman said the achievement was a reward for volunteers who had rebuilt the pavilion after a fire two winters ago.",
        "Westgate will meet holders Farrowdale in the final on 20 August.",
    ],
)

# ---------------------------------------------------------------- The Capital Dispatch
art(
    key="cd-us-emails", outlet="capital-dispatch", section="world", date="2023-07-17", time="12:40",
    slug="pentagon-emails-misdirected-to-mali",
    title="For years, Pentagon email meant for .mil ended up in Mali",
    author="Jordan Vance", story="us-mil-ml-emails",
    standfirst="A Dutch contractor says he flagged the problem repeatedly before his contract ran out.",
    picture=("A service member works at a computer terminal", "Eastline Photo Agency"),
    readmore={2: ["cd-sanctions"]},
    paras=[
        "A simple typing error has sent millions of emails meant for the U.S. military to Mali, according to the Dutch businessman who has run the West African country's internet domain for the past decade.",
        "Johannes Zuurbier, whose firm manages the .ml country code on behalf of the Malian government, said messages meant for addresses ending in .mil had been arriving at his servers since he took over the domain. He said he had raised the alarm with U.S. officials several times, including in a letter earlier this year, without receiving a satisfactory response.",
        "The misdirected email included diplomatic and travel paperwork, staff lists, medical information, photographs of bases and the hotel and travel plans of senior officers ahead of overseas visits. Some messages contained passwords. Much of it was sent by people working with the military, such as contractors and travel agents, rather than from official accounts.",
        "The timing worries security researchers. Mr. Zuurbier's contract is expiring, and management of the domain is set to return to the government in Bamako, which has become one of Russia's closest partners in Africa and hosts fighters from the Wagner mercenary group.",
        "\"Anyone who controls the domain can simply read what arrives,\" said Lorna Haverty, a former Defense Department network engineer who now consults on email security. \"The fix is not complicated, but it has to be done everywhere, including by contractors.\"",
        "The Defense Department said it was aware of the problem and took unauthorized disclosures seriously. Officials said email sent from official .mil systems to Malian addresses is blocked and the sender is notified.",
    ],
)
art(
    key="cd-sanctions", outlet="capital-dispatch", section="world", date="2023-07-24", time="16:20",
    slug="us-sanctions-malian-officials-wagner",
    title="U.S. sanctions Mali's defense minister over ties to Wagner",
    author="Marisol Akers", story="mali-wagner-sanctions",
    standfirst="Blinken says the officials helped the Russian group expand its operations.",
    picture=("Secretary of State Antony Blinken speaks to reporters", "Eastline Photo Agency"),
    readmore={3: ["cd-us-emails"]},
    paras=[
        "The United States on Monday imposed sanctions on three senior Malian military officials, accusing them of helping the Wagner group deepen its presence in the West African country.",
        "The Treasury Department named Mali's defense minister, Sadio Camara, along with the head of the air force and the deputy chief of staff. Any of their assets under U.S. jurisdiction are frozen, and Americans are generally barred from dealing with them.",
        "Secretary of State Antony Blinken said the officials had facilitated the deployment of the Russian mercenaries, whose arrival, he said, had coincided with a sharp increase in civilian deaths in Mali.",
        "Wagner fighters have operated in Mali since late 2021, when the ruling junta turned away from France and its Western partners. Human rights groups have accused Malian troops and foreign fighters of killing hundreds of civilians in the central town of Moura in March 2022, an allegation the government rejects.",
        "The sanctions come as the United Nations prepares to withdraw its peacekeeping mission from Mali and as Russian President Vladimir Putin prepares to host African leaders in St. Petersburg this week.",
        "Mali's government did not immediately respond to a request for comment.",
    ],
)
art(
    key="cd-heat", outlet="capital-dispatch", section="metro", date="2023-07-27", time="06:50",
    slug="heat-advisory-extended-capital-region",
    title="Heat advisory extended as capital region braces for hottest days of summer",
    author="Theo Brandvold", story="weather-heat-advisory",
    standfirst="Cooling centers will stay open late through Sunday.",
    picture=("Children play in a fountain on the Mall", "Eastline Photo Agency"),
    readmore={2: ["cd-marathon"]},
    paras=[
        "Forecasters extended a heat advisory for the capital region through Sunday, warning that the heat index could reach 105 degrees on Friday and Saturday afternoons.",
        "The National Weather Service said overnight temperatures would struggle to fall below the upper 70s, giving little relief to residents without air conditioning.",
        "City officials said cooling centers at public libraries and recreation centers would stay open until 10 p.m., and that buses would not turn away riders heading to them. Outdoor pools will extend their hours.",
        "Doctors urged residents to check on elderly neighbors and never to leave children or pets in parked cars. Emergency rooms reported a rise in heat-related visits earlier in the week.",
        "Utilities said the power grid was coping with demand, but asked customers to raise thermostat settings by a few degrees in the late afternoon when use peaks. Several summer camps moved outdoor activities indoors or cancelled field trips for the rest of the week.",
        "A cold front is forecast to bring thunderstorms and cooler air on Monday.",
    ],
)
art(
    key="cd-uk-emails", outlet="capital-dispatch", section="world", date="2023-07-29", time="10:15",
    slug="british-ministry-reports-own-mali-email-slip",
    title="Britain's defense ministry reports its own Mali email mistake",
    author="Jordan Vance", story="uk-mod-ml-emails",
    standfirst="The UK says a small number of messages went to .ml instead of .mil.",
    picture=("The Ministry of Defence building in London", "Eastline Photo Agency"),
    readmore={2: ["cd-us-emails"]},
    paras=[
        "Britain's Ministry of Defence said Friday that it, too, had sent emails to Mali by accident, less than two weeks after it emerged that the U.S. military had been making the same mistake for years.",
        "A ministry spokesperson said a small number of emails had been sent to an incorrect domain and that an investigation was under way. The messages, meant for American military addresses ending in .mil, were sent to addresses ending in .ml, Mali's country code.",
        "London said it was confident the emails contained nothing that could compromise operational security, and that its sensitive communications run on separate systems.",
        "The British case appears to be far smaller than the American one, in which millions of messages went astray. But it underlines how widespread the error is among allies who correspond with U.S. forces every day.",
        "The disclosure comes during a week in which Washington sanctioned Malian defense officials over their ties to the Wagner group and Russia courted African governments at a summit in St. Petersburg.",
    ],
)
art(
    key="cd-marathon", outlet="capital-dispatch", section="metro", date="2023-08-01", time="14:00",
    slug="river-marathon-route-change",
    title="River Marathon moves its route away from the Hollis Street bridge",
    author="Theo Brandvold", story="sport-marathon-route",
    standfirst="Repair work on the bridge will not finish before race day in October.",
    picture=("Runners cross the Hollis Street bridge during last year's race", "Eastline Photo Agency"),
    readmore={2: ["cd-heat"]},
    paras=[
        "Organizers of the River Marathon said Tuesday that this year's race will avoid the Hollis Street bridge, where repairs to the deck have fallen behind schedule.",
        "The new course crosses the river twice at the Commerce Avenue bridge and adds a loop through the waterfront park to keep the distance at 26.2 miles. Race director Annika Solberg said the change had been certified and that times would still count for qualifying.",
        "About 18,000 runners are registered for the October race, which raised more than 3 million dollars for local charities last year.",
        "The Hollis Street bridge has been partly closed since March, when inspectors found corrosion in the steel supports beneath the deck. City engineers now expect it to reopen to all traffic in December.",
        "Residents along the new stretch of the route will receive letters about road closures, and the transit agency will publish a revised service plan for race morning.",
        "Ms. Solberg said volunteers were still needed at water stations, particularly on the new waterfront loop.",
    ],
)

# ---------------------------------------------------------------- The Northbridge Observer
art(
    key="nb-us-emails", outlet="northbridge-observer", section="world", date="2023-07-19", time="11:30",
    slug="pentagon-blocks-ml-addresses",
    title="Pentagon says it blocks .ml addresses after Mali email leak warnings",
    author="Declan Murrow", story="us-mil-ml-emails", listen=True,
    standfirst="The domain's Dutch manager says the misdirected mail kept coming anyway.",
    picture=("A screen showing lines of network traffic", "Liffey Press Pictures"),
    readmore={2: ["nb-constitution"]},
    paras=[
        "The US Department of Defense has said that it blocks email sent from its own networks to Mali's .ml domain, after reports that years of messages meant for the military's .mil addresses had ended up in the west African country.",
        "The assurance did little to settle concerns raised by Johannes Zuurbier, the Dutch manager of the .ml domain, who said that most of the misdirected email came from outside the military's own systems: from contractors, travel firms, family members and service personnel using personal accounts.",
        "Mr Zuurbier said the traffic included itineraries for official trips, medical and personnel records, and passwords. He began collecting the stray messages this year in an attempt to show American officials the scale of the problem.",
        "His company's management of the domain ended this week, and control has returned to the Malian government, a military administration that works closely with Moscow.",
        "Irish cyber security lecturer Niamh Corrigan said the case showed how small differences between domain names can be exploited. \"Typo domains are an old trick. What is unusual here is that the typo belongs to a whole country,\" she said.",
        "The Pentagon said it takes all unauthorised disclosures of controlled national security information seriously.",
    ],
)
art(
    key="nb-constitution", outlet="northbridge-observer", section="world", date="2023-07-25", time="14:10",
    slug="mali-new-constitution-adopted",
    title="Mali's new constitution comes into force after June referendum",
    author="Aoife Kinsella", story="mali-constitution",
    standfirst="The charter strengthens the presidency and downgrades French.",
    picture=("Voters queue at a polling station in Bamako in June", "Liffey Press Pictures"),
    readmore={3: ["nb-us-emails"]},
    paras=[
        "Mali's interim president, Colonel Assimi Goita, has signed the country's new constitution into law, a month after voters approved it in a referendum boycotted by parts of the opposition.",
        "Official results showed the text winning almost 97 per cent of the vote on 18 June, on a turnout of about 39 per cent. Voting did not take place in several areas of the north where armed groups hold sway.",
        "The constitution gives the president greater power over government, including the right to appoint and dismiss the prime minister, and it makes French a working language rather than the official language, giving that status to national languages instead.",
        "Critics say the changes could allow members of the military government to stand in a future presidential election. The transitional authorities have promised a return to civilian rule, with a presidential vote pencilled in for early 2024.",
        "The junta has expelled French troops, ordered the United Nations peacekeeping mission to leave and brought in Russian military support, including fighters from the Wagner group.",
        "Regional bloc Ecowas lifted its economic sanctions on Mali last year after the junta published a transition timetable, and continues to press for elections to be held on schedule.",
    ],
)
art(
    key="nb-football", outlet="northbridge-observer", section="sport", date="2023-07-30", time="18:45",
    slug="harbourside-rovers-sign-midfielder",
    title="Harbourside Rovers sign Portuguese midfielder Tiago Farinha",
    author="Siobhan Tierney", story="sport-football-transfer",
    standfirst="The 24-year-old joins on a two-year deal.",
    picture=("Tiago Farinha holds up a Rovers scarf at the club's training ground", "Liffey Press Pictures"),
    readmore={2: ["nb-cycle"]},
    paras=[
        "Harbourside Rovers have signed Portuguese midfielder Tiago Farinha on a two-year contract as manager Ciaran Devlin strengthens his squad for the second half of the league season.",
        "Farinha, 24, arrives from a second-division club in Portugal, where he made 61 appearances and scored nine goals. He is expected to go straight into the squad for Friday's home game against Dundalk Road.",
        "Devlin said Farinha's passing range would help the side keep the ball better in midfield, an area where Rovers have struggled since injuries to two regular starters in June.",
        "The midfielder said he had spoken to former Rovers players before agreeing to the move and was looking forward to playing in front of the crowd at the Strand Ground. He will wear the number 8 shirt.",
        "The club is fourth in the table, three points off a European qualification place, with 13 league games remaining.",
        "Rovers said they were also close to agreeing a loan deal for a young goalkeeper from an English club.",
    ],
)
art(
    key="nb-analysis", outlet="northbridge-observer", section="analysis", date="2023-07-31", time="07:00",
    slug="one-letter-military-email-risk",
    title="Analysis: Why a single letter keeps sending military mail to Mali",
    author="Aoife Kinsella", story="uk-mod-ml-emails", listen=True,
    standfirst="Britain is the second ally this month to admit the .ml mistake. It will not be the last.",
    picture=("An office worker types on a keyboard", "Liffey Press Pictures"),
    readmore={3: ["nb-us-emails"], 5: ["nb-constitution"]},
    paras=[
        "When Britain's Ministry of Defence admitted on Friday that some of its emails had gone to Mali instead of the United States military, the most surprising thing for many security researchers was not that it had happened, but that it had taken so long for anyone outside Washington to own up.",
        "The mistake is simple. American military addresses end in .mil. Mali's internet country code is .ml. Anyone who writes to a US officer every day is one slip of the finger away from sending a message to a domain controlled, ultimately, by the government in Bamako.",
        "The MoD said the British error involved only a small number of emails, that an investigation was under way, and that nothing in them could compromise operational security. Officials stressed that secret material travels on separate networks that cannot send mail to the open internet.",
        "But the American experience suggests the problem grows quietly. Johannes Zuurbier, the Dutch contractor who managed .ml until this month, said he had warned US officials about the misdirected traffic for years before it became public. By then, millions of messages had reached his servers.",
        "There is also the question of who reads the mail now. Mali's military rulers have expelled French troops, welcomed the Russian mercenary group Wagner and been rewarded with promises of free Russian grain. Control of the domain has passed back to them.",
        "Email administrators can prevent most of the damage by refusing to send anything to .ml from defence networks unless someone has confirmed it is deliberate. The US says it already does so for mail sent from its own systems. Contractors, allies and private accounts are much harder to police, and that is where the next leak is likely to come from.",
    ],
)
art(
    key="nb-cycle", outlet="northbridge-observer", section="local", date="2023-08-03", time="16:35",
    slug="quay-road-cycle-lanes-approved",
    title="Councillors approve protected cycle lanes on Quay Road",
    author="Siobhan Tierney", story="local-cycle-lanes",
    standfirst="Work on the 1.2km route will begin in the spring.",
    picture=("Cyclists share the road with traffic on Quay Road", "Liffey Press Pictures"),
    readmore={2: ["nb-football"]},
    paras=[
        "Northbridge councillors have voted to build protected cycle lanes along the full length of Quay Road, after a public consultation drew more than 2,300 responses.",
        "The scheme will remove 48 on-street parking spaces and add kerbed lanes in both directions, along with new pedestrian crossings at the library and the ferry terminal. It is expected to cost 3.1 million euro, most of it from the national active travel fund.",
        "Traders on the street had asked for loading bays to be kept, and the final design includes four of them, used outside morning and evening peak hours.",
        "Councillor Fionnuala Breen, who chairs the transport committee, said the route would link two schools and the railway station. Opponents argued that the loss of parking would hurt small businesses.",
        "The council said the route would be monitored for a year after it opens, with counts of cyclists and pedestrians and a survey of businesses on the street. A similar scheme on the Mill Road approach was credited last year with doubling the number of people cycling to the station.",
        "Construction is due to start in March and take about nine months.",
    ],
)

# A wire copy of hh-mod-emails, lightly edited, carried by the Northbridge Observer.
WIRE = dict(
    key="nb-wire-mod", outlet="northbridge-observer", section="world", date="2023-07-28", time="12:05",
    slug="uk-defence-ministry-mali-emails",
    title="UK defence ministry investigates emails sent to Mali by mistake",
    author=None, wire="Albion Newswire", story="uk-mod-ml-emails", listen=False,
    syndicated_from="hh-mod-emails",
    standfirst="Messages for American .mil addresses went to Mali's .ml domain instead.",
    picture=("The Ministry of Defence in Whitehall, London", "Albion Newswire"),
    readmore={4: ["nb-us-emails"]},
)


def _wire_paras(src_paras: list[str]) -> list[str]:
    """Light edits a wire desk would make: UK framing for an Irish paper, a dropped paragraph."""
    edits = {
        "The Ministry of Defence has opened": "The UK Ministry of Defence has opened",
        "the Russian mercenary organisation,": "the Russian mercenary outfit,",
        "and on Thursday Mali was": "and this week Mali was",
        "Earlier this week Antony Blinken": "On Monday Antony Blinken",
    }
    out = []
    for p in src_paras[:-1]:  # the wire version drops the closing line
        for old, new in edits.items():
            p = p.replace(old, new)
        out.append(p)
    return out


src = next(a for a in ARTICLES if a["key"] == "hh-mod-emails")
WIRE["paras"] = _wire_paras(src["paras"])
art(**WIRE)

