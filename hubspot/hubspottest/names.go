package hubspottest

// name is a display name and the ASCII form used to build email addresses:
// names vary (accents, a right-to-left script, an emoji) but emails stay ASCII.
type name struct{ display, ascii string }

var firstNames = []name{
	{"Olivia", "olivia"}, {"Liam", "liam"}, {"Emma", "emma"}, {"Noah", "noah"},
	{"Ava", "ava"}, {"Mateo", "mateo"}, {"Sophia", "sophia"}, {"Lucas", "lucas"},
	{"Isabella", "isabella"}, {"Ethan", "ethan"}, {"Mia", "mia"}, {"Amara", "amara"},
	{"José", "jose"}, {"Zoë", "zoe"}, {"Björn", "bjorn"}, {"François", "francois"},
	{"Chloé", "chloe"}, {"Søren", "soren"}, {"Inês", "ines"}, {"Łukasz", "lukasz"},
	{"Priya", "priya"}, {"Kenji", "kenji"}, {"Aisha", "aisha"}, {"Diego", "diego"},
	{"Hannah", "hannah"}, {"Oliver", "oliver"}, {"Grace", "grace"}, {"Samuel", "samuel"},
	{"Nadia", "nadia"}, {"Tomás", "tomas"}, {"Yuki", "yuki"}, {"Fatima", "fatima"},
	{"Daniel", "daniel"}, {"Elena", "elena"}, {"Kwame", "kwame"}, {"Maya", "maya"},
	{"Ren", "ren"}, {"Leah", "leah"}, {"Omar", "omar"}, {"Clara", "clara"},
}

var lastNames = []name{
	{"Smith", "smith"}, {"Johnson", "johnson"}, {"Williams", "williams"}, {"Brown", "brown"},
	{"García", "garcia"}, {"Müller", "muller"}, {"Nguyen", "nguyen"}, {"Kowalski", "kowalski"},
	{"O'Brien", "obrien"}, {"Rossi", "rossi"}, {"Dubois", "dubois"}, {"Jensen", "jensen"},
	{"Núñez", "nunez"}, {"Andersson", "andersson"}, {"Patel", "patel"}, {"Tanaka", "tanaka"},
	{"Okafor", "okafor"}, {"Silva", "silva"}, {"Martin", "martin"}, {"Novák", "novak"},
	{"Schmidt", "schmidt"}, {"Kim", "kim"}, {"Hernández", "hernandez"}, {"Walker", "walker"},
	{"Lefèvre", "lefevre"}, {"Cohen", "cohen"}, {"Mensah", "mensah"}, {"Popescu", "popescu"},
	{"Lindqvist", "lindqvist"}, {"Moreau", "moreau"}, {"Yilmaz", "yilmaz"}, {"Clarke", "clarke"},
}

// Names given to one person each, so every portal has some non-Latin text.
var (
	rtlFirst   = name{"نور", "noor"}
	rtlLast    = name{"حداد", "haddad"}
	emojiFirst = name{"Alex 🦊", "alex"}
	emojiLast  = name{"Rivera", "rivera"}
)

// companyDomain is the sandbox company's own domain (users' emails).
const companyDomain = "northwind-sandbox.example"

// formerDomain is the company's address before a rebrand; one owner still
// carries it.
const formerDomain = "northwind-legacy.example"

var contactDomains = []string{
	"acme-widgets.example", "globex.example", "initech.example", "umbrella-health.example",
	"stark-industrial.example", "wayne-logistics.example", "hooli.example", "vandelay-imports.example",
	"gmail.example", "outlook.example", "soylent.example", "tyrell.example",
}

var jobTitles = []string{
	"Account Executive", "Head of Procurement", "Operations Manager", "CFO",
	"Marketing Director", "IT Administrator", "Founder", "Office Manager",
}

var roleNames = []struct {
	name    string
	billing bool
}{
	{"Sales Rep", false},
	{"Sales Manager", true},
	{"Marketing Contributor", false},
	{"Marketing Manager", false},
	{"Service Agent", false},
	{"Service Manager", true},
	{"Operations Admin", false},
	{"Finance Viewer", false},
	{"Read Only", false},
	{"Partner Manager", false},
}

var teamNames = []string{
	"West Coast Sales", "East Coast Sales", "EMEA Sales", "Customer Success",
	"Support Tier 1", "Marketing", "Partnerships", "Revenue Operations",
}

var seatNames = []string{"Sales Hub Professional", "Service Hub Professional", "Core Seat"}
