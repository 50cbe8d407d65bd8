package xsim

// The word lists the population is built from (what prospects say is in
// intents.go). First names come first in a display name, so
// `{{firstName}}` personalisation works on generated users. Names are plain
// ASCII so that handles can be built from them; their order is part of the
// world (ids encode indexes), so only ever append.

var firstNames = []string{
	"James", "Sarah", "Priya", "Wei", "Mohammed", "Ana", "Lucas", "Sofia", "Kenji", "Aisha",
	"Mateo", "Emma", "Olivia", "Noah", "Liam", "Chloe", "Arjun", "Fatima", "Yuki", "Diego",
	"Elena", "Omar", "Leila", "Ivan", "Nina", "Tomas", "Ingrid", "Kwame", "Amara", "Hiroshi",
	"Mei", "Rahul", "Ananya", "Carlos", "Lucia", "David", "Rachel", "Daniel", "Hannah", "Michael",
	"Jessica", "Alex", "Sam", "Jordan", "Taylor", "Chris", "Maya", "Ethan", "Zoe", "Ben",
	"Grace", "Max", "Lena", "Felix", "Clara", "Hugo", "Ines", "Pierre", "Camille", "Marco",
	"Giulia", "Lars", "Freya", "Sven", "Astrid", "Pavel", "Olga", "Tariq", "Nadia", "Yusuf",
	"Zeynep", "Emre", "Selin", "Jin", "Hana", "Raj", "Deepa", "Vikram", "Kavya", "Tunde",
	"Chidi", "Ngozi", "Thabo", "Zanele", "Kofi", "Ama", "Jamal", "Keisha", "Andre", "Tyler",
	"Ryan", "Kevin", "Laura", "Julia", "Marta", "Pablo", "Javier", "Isabel", "Rafael", "Beatriz",
	"Joao", "Gabriel", "Mariana", "Nikolai", "Anya", "Oscar", "Elsa", "Leo", "Mia", "Aria",
	"Kai", "Ravi", "Sanjay", "Neha", "Tom", "Kate", "Lucy", "Adam", "Eva", "Jonas",
	"Lea", "Finn", "Ida", "Emil", "Alma", "Victor", "Sophie", "Nathan", "Amelia", "Isaac",
	"Ruth", "Samuel", "Naomi", "Yara", "Karim", "Salma", "Bilal", "Layla", "Dmitri", "Katya",
}

var lastNames = []string{
	"Smith", "Chen", "Patel", "Garcia", "Kim", "Nguyen", "Muller", "Rossi", "Silva", "Santos",
	"Kowalski", "Novak", "Johansson", "Andersen", "Okafor", "Mensah", "Adeyemi", "Mwangi", "Dlamini", "Tanaka",
	"Sato", "Suzuki", "Wang", "Li", "Zhang", "Liu", "Singh", "Sharma", "Gupta", "Iyer",
	"Reddy", "Khan", "Ali", "Hassan", "Haddad", "Cohen", "Levi", "Yilmaz", "Demir", "Kaya",
	"Ivanov", "Petrov", "Popescu", "Horvat", "Nagy", "Dubois", "Martin", "Bernard", "Moreau", "Laurent",
	"Fischer", "Weber", "Wagner", "Becker", "Schmidt", "Jansen", "Bakker", "Visser", "Larsen", "Nilsen",
	"Virtanen", "Korhonen", "Murphy", "Kelly", "Walsh", "Brown", "Jones", "Williams", "Davies", "Evans",
	"Wilson", "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Wright", "Lopez", "Hernandez",
	"Gonzalez", "Perez", "Sanchez", "Ramirez", "Torres", "Flores", "Rivera", "Gomez", "Diaz", "Reyes",
	"Morales", "Ortiz", "Castro", "Romero", "Alvarez", "Mendes", "Costa", "Oliveira", "Pereira", "Ferreira",
	"Almeida", "Park", "Lee", "Choi", "Jung", "Kang", "Cho", "Yoon", "Huang", "Zhao",
	"Wu", "Zhou", "Xu", "Sun", "Lin", "Tran", "Pham", "Hoang", "Mehta", "Joshi",
	"Kapoor", "Bose", "Das", "Nair", "Menon", "Rahman", "Hossain", "Ahmed", "Mahmoud", "Nasser",
	"Osei", "Boateng", "Eze", "Nwosu", "Abubakar", "Moyo", "Banda", "Phiri", "Wood", "Hughes",
	"Green", "Baker", "Hill", "Scott", "Adams", "Nelson", "Carter", "Mitchell", "Roberts", "Turner",
	"Campbell", "Parker", "Collins", "Stewart", "Morris", "Reed", "Cook", "Morgan", "Bell", "Cooper",
}

var startups = []string{
	"Acme", "Northwind", "Lumen Labs", "Finch", "Stackly", "Orbital", "Brightwave", "Kitewire",
	"Paperplane", "Nimbus AI", "Tideline", "Quanta", "Fieldnote", "Hearth", "Cobalt", "Verdant",
	"Loopwise", "Parcelly", "Signalbox", "Ledgerly", "Greenleaf", "Pylon", "Mosaic", "Driftwood",
	"Helio", "Basecamp Bio", "Runway", "Atlas Robotics", "Clearpath", "Sprout",
}

var bigCompanies = []string{
	"Google", "Stripe", "Shopify", "Meta", "Amazon", "Microsoft", "Airbnb", "Spotify",
	"Netflix", "Notion", "Figma", "Datadog", "Uber", "Salesforce", "Adobe", "Atlassian",
}

var funds = []string{
	"Redwood Ventures", "Lighthouse Capital", "Harbor VC", "Northstar Capital", "Summit Partners Fund",
	"First Light Ventures", "Granite Seed", "Blue Delta Capital",
}

var sectors = []string{
	"AI", "fintech", "climate", "devtools", "B2B SaaS", "health", "edtech", "marketplaces",
	"consumer", "robotics", "security", "creator tools",
}

var things = []string{
	"the future of payments", "AI agents for sales", "tools for developers", "a better CRM",
	"climate software", "the open-source data stack", "healthcare infra", "creator tools",
	"hiring software", "something new", "in public", "B2B payments", "voice AI",
}

var universities = []string{
	"MIT", "Stanford", "IIT Bombay", "TU Munich", "UCL", "Tsinghua", "U of Toronto", "UNAM",
	"USP", "NUS", "ETH Zurich", "U of Lagos", "Berkeley", "Oxford",
}

var topics = []string{
	"startups", "design", "distributed systems", "growth", "product", "sales", "fundraising",
	"remote work", "AI", "open source", "marketing", "hiring", "leadership", "SEO",
}

var hobbies = []string{
	"Runner.", "Coffee addict.", "Dad of two.", "Mom. Builder.", "Climber.", "Amateur chef.",
	"Cyclist.", "Film photography.", "Chess.", "Surfer.", "Reader.", "Dog person.",
}

var bioSuffixes = []string{
	"We're hiring!", "Building in public.", "Opinions my own.", "DMs open.", "ex-{bigco}.",
	"🚀", "🌱", "☕️", "Angel investor.", "Newsletter below 👇",
}

var locations = []string{
	"San Francisco, CA", "New York, NY", "London, England", "Berlin, Germany", "Paris, France",
	"Bengaluru, India", "Lagos, Nigeria", "Nairobi, Kenya", "São Paulo, Brazil", "Mexico City, Mexico",
	"Toronto, Ontario", "Sydney, Australia", "Tokyo, Japan", "Seoul, South Korea", "Singapore",
	"Dubai, UAE", "Tel Aviv, Israel", "Stockholm, Sweden", "Amsterdam, The Netherlands", "Austin, TX",
	"Lisbon, Portugal", "Warsaw, Poland", "Cape Town, South Africa", "Buenos Aires, Argentina",
	"Jakarta, Indonesia", "Istanbul, Türkiye", "Remote", "Earth 🌍", "Madrid, Spain",
	"Zurich, Switzerland", "Dublin, Ireland", "Seattle, WA", "Boston, MA", "Shanghai, China",
	"Ho Chi Minh City, Vietnam", "Manila, Philippines", "Cairo, Egypt", "Accra, Ghana",
	"Bogotá, Colombia", "Santiago, Chile", "Auckland, New Zealand", "Montréal, Québec",
	"Los Angeles, CA", "Chicago, IL", "Munich, Germany", "Copenhagen, Denmark", "Kyiv, Ukraine",
	"Mumbai, India", "Karachi, Pakistan", "Riyadh, Saudi Arabia",
}

var tweetTemplates = []string{
	"Shipped a new release of {company} today. Feedback welcome!",
	"Hot take: {topic} is still underrated.",
	"Anyone in {city} want to grab coffee this week?",
	"Reading about {topic} this morning. What are you reading?",
	"We're hiring at {company}. DM me if you're curious.",
	"Great chat at the {topic} meetup last night.",
	"What's your favourite newsletter on {topic}?",
	"Just crossed 1,000 users at {company} 🎉",
	"Monday plan: coffee, inbox zero, ship.",
	"Thread on what I learned building {company} 🧵",
	"Three things I wish I knew earlier about {topic}.",
	"Back in {city} after a long trip. Good to be home.",
}
