"""Build the bundled demo agenda `wpc2016.json`: Microsoft WPC 2016, Toronto, 10–14 July 2016.

The JSON is what Hallway loads; this script only keeps it consistent (one company per person,
times written once per item, ids stable and explicit). Regenerate it from the repository root:

    python catalogue/data/build_wpc2016.py

The keynote titles and speakers follow the real conference; the breakout sessions, their
speakers (other than the keynote speakers) and booth numbers are plausible inventions for a demo.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OUTPUT = Path(__file__).with_name("wpc2016.json")

CONFERENCE: dict[str, str] = {
    "name": "Microsoft Worldwide Partner Conference 2016",
    "timezone": "America/Toronto",
    "venue": "Metro Toronto Convention Centre & Air Canada Centre",
    "url": "https://partner.microsoft.com/wpc",
}

# Every person once, with their company and (for keynote speakers) their role in July 2016.
PEOPLE: dict[str, tuple[str, str]] = {
    # Keynote speakers.
    "Satya Nadella": ("Microsoft", "Chief Executive Officer"),
    "Gavriella Schuster": ("Microsoft", "Corporate Vice President, Worldwide Partner Group"),
    "Judson Althoff": ("Microsoft", "Executive Vice President, Worldwide Commercial Business"),
    "Kirk Koenigsbauer": ("Microsoft", "Corporate Vice President, Office"),
    "Terry Myerson": ("Microsoft", "Executive Vice President, Windows and Devices Group"),
    "Scott Guthrie": ("Microsoft", "Executive Vice President, Cloud and Enterprise"),
    "Brad Smith": ("Microsoft", "President and Chief Legal Officer"),
    "Toni Townes-Whitley": (
        "Microsoft",
        "Corporate Vice President, Worldwide Public Sector and Industry",
    ),
    # Session speakers from Microsoft.
    "Laura Chen": ("Microsoft", ""),
    "Daniel Ortega": ("Microsoft", ""),
    "Priya Raman": ("Microsoft", ""),
    "Mark Sullivan": ("Microsoft", ""),
    "Natalie Brooks": ("Microsoft", ""),
    "Carlos Mendes": ("Microsoft", ""),
    "Michael Tan": ("Microsoft", ""),
    "Ryan Patel": ("Microsoft", ""),
    "Vikram Desai": ("Microsoft", ""),
    "Elena Rossi": ("Microsoft", ""),
    "Olivia Grant": ("Microsoft", ""),
    "Arjun Mehta": ("Microsoft", ""),
    "David Cohen": ("Microsoft", ""),
    "Emily Foster": ("Microsoft", ""),
    "Kenji Watanabe": ("Microsoft", ""),
    "Grace Liu": ("Microsoft", ""),
    "Marta Kowalski": ("Microsoft", ""),
    "Jessica Moore": ("Microsoft", ""),
    "Rebecca Hall": ("Microsoft", ""),
    "Samuel Wright": ("Microsoft", ""),
    "Nadia Petrova": ("Microsoft", ""),
    "Anna Schmidt": ("Microsoft", ""),
    "Ian Russell": ("Microsoft", ""),
    "Rachel Kim": ("Microsoft", ""),
    "Chris Yang": ("Microsoft", ""),
    "Isabelle Moreau": ("Microsoft France", "Directrice de l'écosystème partenaires"),
    "Camille Dubois": ("Microsoft France", ""),
    "Sophie Marchand": ("Microsoft France", ""),
    "Nicole Baumann": ("Microsoft Switzerland", "Partner lead"),
    "Andrea Walsh": ("Microsoft Canada", "Partner lead"),
    "Stefan Hoffmann": ("Microsoft Germany", "Partner lead"),
    "James Whitfield": ("Microsoft UK", "Partner lead"),
    "Mikael Jensen": ("Microsoft Denmark", "Nordic partner lead"),
    "Omar Haddad": ("Microsoft Middle East & Africa", "Partner lead"),
    "Lotte de Vries": ("Microsoft Netherlands", "Partner lead"),
    "Hamish Clarke": ("Microsoft Australia", "Partner lead"),
    "Lucía Herrera": ("Microsoft Latin America", "Partner lead"),
    "Wei Zhang": ("Microsoft Asia Pacific", "Partner lead"),
    # Session speakers from partners.
    "Erik Lindqvist": ("Crayon", ""),
    "Sven Karlsson": ("Crayon", ""),
    "Jorge Alvarez": ("Rackspace", ""),
    "Hannah Price": ("Avanade", ""),
    "Amira Saleh": ("Avanade", ""),
    "Sarah Okafor": ("Content and Code", ""),
    "Ben Carter": ("Insight", ""),
    "Aisha Mensah": ("Wortell", ""),
    "Tom Becker": ("Softchoice", ""),
    "Lucas Meyer": ("Bechtle", ""),
    "Paul Nguyen": ("Tech Data", ""),
    "Julien Garnier": ("Prodware", ""),
    "Antoine Roux": ("Exakis", ""),
    "Chris Walker": ("Nintex", ""),
    "Mathieu Perrin": ("letsignit", ""),
    "Dan Fischer": ("Intel", ""),
    "Kate Morris": ("HP", ""),
    "Diane Fraser": ("IAMCP", "International Association of Microsoft Channel Partners"),
}

# Rooms.
ACC = "Air Canada Centre"
TH1 = "Commons Theater 1"
TH2 = "Commons Theater 2"
TH3 = "Commons Theater 3"
HUB = "Commons Hub Stage"
S701A = "MTCC South 701A"
S701B = "MTCC South 701B"
S714 = "MTCC South 714"
N201A = "MTCC North 201A"
N201B = "MTCC North 201B"
N203 = "MTCC North 203"
N205 = "MTCC North 205"
BALLROOM = "MTCC North Ballroom"
EXHIBIT_HALL = "MTCC Exhibit Hall"
FOYER = "MTCC South Foyer"
REGISTRATION = "MTCC South Registration Hall"
COMMONS = "The Commons"

# Tracks.
CLOUD = "Cloud Platform"
PRODUCTIVITY = "Productivity"
BUSINESS_APPS = "Business Applications"
PARTNER = "Partner Business"
SMB = "SMB"
SECURITY = "Security"
DATA = "Data & Analytics"
DEVICES = "Devices & Windows"


@dataclass(frozen=True, slots=True)
class Item:
    """One agenda item, as written here: the day of July 2016 and local HH:MM times."""

    id: str
    day: int
    start: str
    end: str
    kind: str
    title: str
    room: str
    abstract: str = ""
    track: str = ""
    tags: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    language: str = "en"
    subtitle: str = ""


def talk(
    id: str,
    day: int,
    start: str,
    end: str,
    room: str,
    title: str,
    abstract: str,
    track: str,
    tags: tuple[str, ...],
    speakers: tuple[str, ...],
    *,
    kind: str = "talk",
    language: str = "en",
) -> Item:
    return Item(
        id=f"wpc16-{id}",
        day=day,
        start=start,
        end=end,
        kind=kind,
        title=title,
        room=room,
        abstract=abstract,
        track=track,
        tags=tags,
        speakers=speakers,
        language=language,
    )


def plain(
    id: str,
    day: int,
    start: str,
    end: str,
    kind: str,
    title: str,
    room: str,
    abstract: str = "",
    speakers: tuple[str, ...] = (),
    *,
    language: str = "en",
    subtitle: str = "",
    tags: tuple[str, ...] = (),
) -> Item:
    return Item(
        id=f"wpc16-{id}",
        day=day,
        start=start,
        end=end,
        kind=kind,
        title=title,
        room=room,
        abstract=abstract,
        speakers=speakers,
        language=language,
        subtitle=subtitle,
        tags=tags,
    )


# The agenda tables are laid out by hand, one item per call.
# fmt: off
KEYNOTES: tuple[Item, ...] = (
    talk(
        "k1", 11, "08:30", "10:30", ACC, "Transforming our world together",
        "Satya Nadella opens WPC with Microsoft's vision for the intelligent cloud, reinvented "
        "productivity and more personal computing, and the role partners play in helping every "
        "person and every organization on the planet achieve more. Gavriella Schuster sets out "
        "the partner priorities for the new fiscal year.",
        "Vision keynote", ("keynote", "vision", "digital transformation", "intelligent cloud"),
        ("Satya Nadella", "Gavriella Schuster"), kind="keynote",
    ),
    talk(
        "k2", 12, "08:30", "10:30", ACC, "Reinventing productivity for the digital workplace",
        "How Office 365, Windows 10 and the new Secure Productive Enterprise offer change the way "
        "people work, and how partners can lead their customers' digital transformation with "
        "them. With customer and partner stories from around the world.",
        "Vision keynote", ("keynote", "Office 365", "Windows 10", "modern workplace"),
        ("Judson Althoff", "Kirk Koenigsbauer", "Terry Myerson"), kind="keynote",
    ),
    talk(
        "k3", 13, "08:30", "10:30", ACC, "Seize your opportunity – today",
        "The closing vision keynote: the scale of the cloud opportunity across Azure, hybrid "
        "cloud and industry solutions, why trust, security and compliance win customers, and "
        "what partners can do this year to grow with Microsoft.",
        "Vision keynote", ("keynote", "Azure", "trust", "cloud opportunity"),
        ("Scott Guthrie", "Brad Smith", "Toni Townes-Whitley"), kind="keynote",
    ),
)

SUNDAY: tuple[Item, ...] = (
    talk(
        "c001", 10, "13:00", "14:00", S701A,
        "WPC first-timers orientation: make the most of your week",
        "New to WPC? Learn how the week works, from the vision keynotes in the Air Canada "
        "Centre to the Commons, the Connect meeting tool and your delegation's events, so you "
        "leave Toronto with meetings booked and a plan.",
        PARTNER, ("first-timers", "networking", "WPC"), ("Laura Chen",),
    ),
    talk(
        "c002", 10, "13:00", "14:00", S701B,
        "Microsoft Partner Network FY17: competencies, benefits and what changed on 1 July",
        "A tour of the partner program for the new fiscal year: the updated cloud competencies, "
        "internal-use rights, and the benefits you can use straight away.",
        PARTNER, ("MPN", "competencies", "benefits"), ("Daniel Ortega",),
    ),
    talk(
        "c003", 10, "14:30", "15:30", S701A,
        "Getting started as a Cloud Solution Provider: direct or indirect?",
        "Should you bill your customers directly or work through an indirect provider? Compare "
        "both CSP models on support, billing, cash flow and margins, with a distributor's view.",
        PARTNER, ("CSP", "licensing", "distribution"), ("Priya Raman", "Erik Lindqvist"),
    ),
    talk(
        "c004", 10, "14:30", "15:30", S701B, "Working with your local Microsoft subsidiary",
        "Partner development managers, co-selling and the FY17 partner plan: who to talk to "
        "back home, and how to turn WPC conversations into joint pipeline.",
        PARTNER, ("co-sell", "subsidiary", "partner plan"), ("Mark Sullivan",),
    ),
)

MONDAY: tuple[Item, ...] = (
    talk(
        "c005", 11, "11:00", "11:45", TH1, "Does your customer want to own the cloud for life?",
        "Some customers want to rent the cloud, others want to own it. Learn how to position "
        "public Azure, hosted private cloud and Azure Stack for customers who want control, and "
        "how to build a managed-services business around the whole lifecycle.",
        CLOUD, ("Azure", "hybrid cloud", "Azure Stack", "managed services"),
        ("Natalie Brooks", "Jorge Alvarez"),
    ),
    talk(
        "c006", 11, "11:00", "11:45", TH2,
        "Microsoft Dynamics 365: what it means for your business applications practice",
        "Dynamics 365 brings CRM and ERP together as purpose-built apps in the cloud, "
        "available this fall. Find out how the apps, the plans and AppSource change the way you "
        "build, sell and deliver business applications.",
        BUSINESS_APPS, ("Dynamics 365", "CRM", "ERP", "AppSource"),
        ("Carlos Mendes", "Hannah Price"),
    ),
    talk(
        "c007", 11, "11:00", "11:45", TH3,
        "Selling Office 365 E5: cloud voice, analytics and advanced security",
        "E5 is the richest Office 365 plan and the least sold. Learn the three conversations "
        "that land it (Cloud PBX, Power BI Pro and Advanced Threat Protection) and how partners "
        "package deployment services around them.",
        PRODUCTIVITY, ("Office 365", "E5", "Skype for Business", "Power BI"),
        ("Michael Tan", "Sarah Okafor"),
    ),
    talk(
        "c008", 11, "11:00", "11:30", HUB, "Partner Center in 30 minutes",
        "One place for CSP customers, subscriptions, incentives and support requests: a fast "
        "demo of Partner Center and what is coming to it this year.",
        PARTNER, ("Partner Center", "CSP", "tools"), ("Ryan Patel",),
    ),
    talk(
        "c009", 11, "11:15", "12:15", S701A,
        "Azure Stack: build your hybrid cloud practice ahead of general availability",
        "Azure Stack brings Azure services into your customer's datacenter, delivered as "
        "integrated systems from Dell, HPE and Lenovo. Plan the skills, offers and pilots you "
        "need now to be ready when it ships.",
        CLOUD, ("Azure Stack", "hybrid cloud", "datacenter"), ("Vikram Desai",),
    ),
    talk(
        "c010", 11, "11:15", "12:15", N201B, "Built a profitable solution practice",
        "Three partners who rebuilt their business around cloud solutions share the numbers: "
        "how they packaged their intellectual property, priced managed services and moved from "
        "project revenue to recurring revenue.",
        PARTNER, ("profitability", "practice development", "managed services", "IP"),
        ("Elena Rossi", "Ben Carter", "Aisha Mensah"),
    ),
    talk(
        "c011", 11, "11:15", "12:15", S714, "Réussir sa transition vers le cloud avec CSP",
        "Comment passer de la revente de licences à un modèle de services récurrents avec le "
        "programme Cloud Solution Provider : facturation, support, marges et premiers pas, avec "
        "le retour d'expérience d'un partenaire français.",
        PARTNER, ("CSP", "cloud", "licences", "France"), ("Isabelle Moreau", "Julien Garnier"),
        language="fr",
    ),
    talk(
        "c012", 11, "12:00", "12:45", TH1,
        "Windows 10 Anniversary Update: what partners need to know",
        "Windows Hello, Windows Defender Advanced Threat Protection and Windows Information "
        "Protection arrive with the Anniversary Update this summer. See what they mean for "
        "your customers' upgrade plans and your deployment services.",
        DEVICES, ("Windows 10", "Anniversary Update", "deployment"), ("Olivia Grant",),
    ),
    talk(
        "c013", 11, "12:00", "12:45", TH2,
        "Power BI for partners: turning data into recurring revenue",
        "Dashboards are the start, not the end. Learn how partners build subscription analytics "
        "offers on Power BI, from the first content pack to managed reporting services.",
        DATA, ("Power BI", "analytics", "recurring revenue"), ("Arjun Mehta", "Lucas Meyer"),
    ),
    talk(
        "c014", 11, "12:00", "12:45", TH3, "Enterprise Mobility + Security: lead with identity",
        "Identity is the new control plane. See how Azure Active Directory Premium, Intune and "
        "Advanced Threat Analytics open the conversation about protecting users, devices, apps "
        "and data.",
        SECURITY, ("EMS", "identity", "Intune", "Azure Active Directory"), ("David Cohen",),
    ),
    talk(
        "c015", 11, "12:30", "13:00", HUB, "Surface Hub in action",
        "A live demo of the meeting room of the future: whiteboarding, Skype for Business "
        "meetings and universal apps on Surface Hub, and how resellers sell and install it.",
        DEVICES, ("Surface Hub", "meeting rooms", "devices"), ("Emily Foster",),
    ),
    talk(
        "c016", 11, "13:00", "13:45", TH1, "Cortana Intelligence Suite: from data to decisions",
        "Machine learning, big data and perceptual intelligence as a managed suite. Real "
        "projects show where partners add value: data preparation, models and the business "
        "process around them.",
        DATA, ("Cortana Intelligence", "machine learning", "big data"), ("Kenji Watanabe",),
    ),
    talk(
        "c017", 11, "13:00", "14:00", S701A,
        "Migrating workloads to Azure at scale: lessons from the field",
        "Assessment, migration factories and the first ninety days of operations: what worked "
        "and what did not when moving hundreds of servers to Azure for enterprise customers.",
        CLOUD, ("Azure", "migration", "datacenter"), ("Sven Karlsson",),
    ),
    talk(
        "c018", 11, "13:00", "14:00", N201B, "Introducing Secure Productive Enterprise",
        "Office 365, Enterprise Mobility + Security and Windows 10 Enterprise now come together "
        "in one offer. Learn the E3 and E5 editions, who they are for and how to position them "
        "against point solutions.",
        PRODUCTIVITY, ("Secure Productive Enterprise", "licensing", "Office 365", "EMS"),
        ("Michael Tan",),
    ),
    talk(
        "c019", 11, "14:00", "14:45", TH1, "New, game changing SMB innovation",
        "Small and midsize businesses are moving to the cloud faster than anyone. See the new "
        "offers built for them, from Dynamics 365 Business edition to Windows 10 Enterprise E3 "
        "through CSP, and how to sell them at SMB scale.",
        SMB, ("SMB", "Dynamics 365", "Windows 10", "CSP"), ("Grace Liu", "Paul Nguyen"),
    ),
    talk(
        "c020", 11, "14:00", "14:45", TH2, "Microsoft IoT: from connected devices to new services",
        "Azure IoT Suite and Windows 10 IoT turn connected equipment into services customers "
        "pay for every month. Start with preconfigured solutions for remote monitoring and "
        "predictive maintenance.",
        CLOUD, ("IoT", "Azure IoT Suite", "Windows 10 IoT"), ("Marta Kowalski", "Dan Fischer"),
    ),
    talk(
        "c021", 11, "14:00", "14:30", HUB, "Nintex workflow for Office 365 in 30 minutes",
        "Build and publish an approval workflow on SharePoint Online live, then see how partners "
        "package process automation as a repeatable service.",
        PRODUCTIVITY, ("Nintex", "workflow", "SharePoint", "Office 365"), ("Chris Walker",),
    ),
    talk(
        "c022", 11, "14:15", "15:15", S701A,
        "Hybrid cloud with Windows Server 2016 and System Center 2016",
        "Nano Server, containers, shielded virtual machines and software-defined storage: the "
        "features that bring customers' datacenters closer to Azure, and the services "
        "partners can build around them.",
        CLOUD, ("Windows Server 2016", "System Center", "hybrid cloud"), ("Vikram Desai",),
    ),
    talk(
        "c023", 11, "14:15", "15:15", N201B,
        "Selling security: a conversation starter for every customer",
        "Every board now asks about security. Use the Microsoft security assessment approach "
        "to open the conversation, find the gaps and turn them into a project and a managed "
        "service.",
        SECURITY, ("security", "assessment", "managed services"), ("David Cohen", "Amira Saleh"),
    ),
    talk(
        "c024", 11, "14:15", "15:15", S714,
        "SQL Server 2016: modernize your customers' data estate",
        "SQL Server 2005 reaches end of support this year. Upgrade, consolidate or move to "
        "Azure: use the in-memory, Always Encrypted and Stretch Database features to win the "
        "project.",
        DATA, ("SQL Server 2016", "data platform", "migration"), ("Arjun Mehta",),
    ),
    talk(
        "c025", 11, "15:30", "16:15", TH1, "Skype for Business Cloud PBX: bring voice to the cloud",
        "Cloud PBX, PSTN Calling and PSTN Conferencing replace the phone system with Office 365. "
        "Learn the deployment models and the voice skills your practice needs.",
        PRODUCTIVITY, ("Skype for Business", "Cloud PBX", "voice", "Office 365"), ("Sarah Okafor",),
    ),
    talk(
        "c026", 11, "15:30", "16:15", TH2,
        "Marketing in a digital world: generate demand for your cloud offers",
        "Buyers research online long before they call. Build campaigns with Digital Marketing "
        "Content OnDemand, measure them, and turn your customer stories into leads.",
        PARTNER, ("marketing", "demand generation", "digital"), ("Jessica Moore",),
    ),
    talk(
        "c027", 11, "15:30", "16:30", S701A,
        "Azure Marketplace and AppSource: put your solution in front of customers",
        "List your solution where IT pros and business users look for it. What it takes to "
        "publish, how leads reach you and how listings feed co-selling with Microsoft.",
        PARTNER, ("Azure Marketplace", "AppSource", "ISV"), ("Nadia Petrova",),
    ),
    talk(
        "c028", 11, "15:30", "16:30", N201B,
        "Licensing deep dive: moving customers from on-premises to CSP",
        "Software Assurance, subscription transitions and the Enterprise Agreement: how to move "
        "a customer's estate to the Cloud Solution Provider program without paying twice.",
        PARTNER, ("CSP", "licensing", "Enterprise Agreement"), ("Priya Raman",),
    ),
    talk(
        "c029", 11, "16:00", "16:30", HUB, "Surface Pro 4 and Surface Book for the enterprise",
        "The Surface commercial reseller program, device management with Intune and the "
        "Surface Enterprise Management Mode: a quick tour for device resellers.",
        DEVICES, ("Surface", "devices", "reseller"), ("Emily Foster",),
    ),
    talk(
        "c030", 11, "16:30", "17:15", TH1,
        "Modern workplace: from file shares to OneDrive, SharePoint and Office 365 Groups",
        "Most customers still keep their files on a server in the closet. A practical migration "
        "and adoption plan for OneDrive for Business, SharePoint Online and Office 365 Groups.",
        PRODUCTIVITY, ("modern workplace", "OneDrive", "SharePoint", "Office 365 Groups"),
        ("Rebecca Hall",),
    ),
    talk(
        "c031", 11, "16:45", "17:45", S701A,
        "Azure SQL Database and SQL Data Warehouse: the data platform as a service",
        "Elastic pools, geo-replication and a petabyte-scale warehouse without hardware. Where "
        "platform services fit, and how partners price and operate them.",
        DATA, ("Azure SQL Database", "SQL Data Warehouse", "PaaS"), ("Ian Russell",),
    ),
)

TUESDAY: tuple[Item, ...] = (
    talk(
        "c032", 12, "11:00", "11:45", TH1, "Office 365 adoption: drive usage with FastTrack",
        "Licenses sold are not licenses used. Learn how FastTrack onboarding, adoption "
        "campaigns and usage reports keep customers renewing, and where partners take over "
        "from FastTrack.",
        PRODUCTIVITY, ("Office 365", "FastTrack", "adoption"), ("Rebecca Hall",),
    ),
    talk(
        "c033", 12, "11:00", "11:45", TH2,
        "Dynamics 365 Business edition: cloud ERP for small business",
        "Financials, sales and customer service for companies of 10 to 250 people, sold through "
        "CSP. What the Business edition includes and how to build a repeatable SMB offer on it.",
        SMB, ("Dynamics 365", "ERP", "SMB", "CSP"), ("Carlos Mendes", "Grace Liu"),
    ),
    talk(
        "c034", 12, "11:00", "11:45", TH3,
        "Windows 10 Enterprise E3 in CSP: Windows as a service for SMB",
        "Enterprise-grade Windows for a monthly fee per user, sold and supported by partners. "
        "Pricing, upgrade rights and the managed-desktop services you can build on it.",
        DEVICES, ("Windows 10", "CSP", "SMB", "Windows as a service"), ("Olivia Grant",),
    ),
    talk(
        "c035", 12, "11:00", "11:30", HUB,
        "Bots and Cortana Intelligence: the conversational future",
        "The Microsoft Bot Framework and Cognitive Services in a live demo: a customer-service "
        "bot built in minutes, and the opportunities for partners in conversational apps.",
        DATA, ("Bot Framework", "Cognitive Services", "Cortana Intelligence"), ("Kenji Watanabe",),
    ),
    talk(
        "c036", 12, "11:15", "12:15", S701A, "Building a managed services business on Azure",
        "Monitoring, backup, patching and cost management as a service: how an established "
        "managed-services provider structured its Azure offer, its contracts and its margins.",
        CLOUD, ("Azure", "managed services", "operations"), ("Jorge Alvarez", "Natalie Brooks"),
    ),
    talk(
        "c037", 12, "11:15", "12:15", N201B,
        "From reseller to cloud partner: changing sales compensation and culture",
        "Recurring revenue changes how sellers are paid and how a company is run. A candid "
        "session on compensation plans, cash flow and the people side of the transition.",
        PARTNER, ("transformation", "sales", "recurring revenue"), ("Elena Rossi", "Tom Becker"),
    ),
    talk(
        "c038", 12, "11:15", "12:15", S714,
        "Office 365 : accélérer l'adoption chez vos clients PME",
        "Les PME achètent Office 365 mais n'en utilisent souvent que la messagerie. Méthodes, "
        "outils et offres de services pour faire adopter OneDrive, Skype Entreprise et "
        "SharePoint, et fidéliser vos clients.",
        PRODUCTIVITY, ("Office 365", "PME", "adoption", "France"),
        ("Camille Dubois", "Antoine Roux"), language="fr",
    ),
    talk(
        "c039", 12, "12:00", "12:45", TH1,
        "Advanced Threat Analytics and Office 365 Advanced Threat Protection",
        "Detect attackers already inside the network and stop malicious attachments before they "
        "reach the inbox: two services that make a strong security upsell.",
        SECURITY, ("Advanced Threat Analytics", "Office 365", "threat protection"),
        ("Samuel Wright",),
    ),
    talk(
        "c040", 12, "12:00", "12:45", TH2,
        "PowerApps and Microsoft Flow: business apps for everyone",
        "Build mobile apps and automated workflows without code, connected to Office 365, "
        "Dynamics and hundreds of services. Where partners fit when customers build their own "
        "apps.",
        BUSINESS_APPS, ("PowerApps", "Microsoft Flow", "low code"), ("Nadia Petrova",),
    ),
    talk(
        "c041", 12, "12:00", "12:45", TH3,
        "Disaster recovery as a service with Azure Site Recovery and Azure Backup",
        "Replace tape and secondary datacenters with the cloud. Build a disaster-recovery offer "
        "customers understand, test it without downtime and charge for it monthly.",
        CLOUD, ("Azure Site Recovery", "Azure Backup", "disaster recovery"), ("Vikram Desai",),
    ),
    talk(
        "c042", 12, "12:30", "13:00", HUB, "letsignit: branded email signatures for Office 365",
        "Centrally managed email signatures and campaign banners for every employee, synchronised "
        "with Azure Active Directory: a quick demo and the reseller program.",
        PRODUCTIVITY, ("letsignit", "Office 365", "email signatures", "marketing"),
        ("Mathieu Perrin",),
    ),
    talk(
        "c043", 12, "13:00", "13:45", TH1,
        "Customer stories: digital transformation in manufacturing",
        "Connected production lines, predictive maintenance and field service: three "
        "manufacturers and their partners explain how they moved from pilot to production.",
        CLOUD, ("IoT", "manufacturing", "digital transformation", "Dynamics 365"),
        ("Marta Kowalski",),
    ),
    talk(
        "c044", 12, "13:00", "14:00", S701A,
        "Build a data & analytics practice: from SQL Server to advanced analytics",
        "The skills, offers and hiring plan behind a data practice that grows from database "
        "upgrades to machine learning projects, step by step.",
        DATA, ("data platform", "analytics", "practice development"),
        ("Arjun Mehta", "Lucas Meyer"),
    ),
    talk(
        "c045", 12, "13:00", "14:00", N201B,
        "Partner incentives FY17: what changed and how to earn them",
        "Cloud incentives, CSP rebates and the new Azure consumption rewards explained with "
        "examples, so you know which customer activities pay.",
        PARTNER, ("incentives", "CSP", "FY17"), ("Daniel Ortega",),
    ),
    talk(
        "c046", 12, "14:00", "14:45", TH1, "Windows 10 devices: building a modern device practice",
        "Two-in-ones, Surface and the device-as-a-service model: how resellers bundle hardware, "
        "deployment and management into one monthly price.",
        DEVICES, ("devices", "Surface", "device as a service", "Windows 10"),
        ("Emily Foster", "Kate Morris"),
    ),
    talk(
        "c047", 12, "14:00", "14:45", TH2,
        "Privacy and compliance: preparing customers for the GDPR",
        "The EU General Data Protection Regulation applies from May 2018. How the Microsoft "
        "Cloud helps with compliance, and the assessment services customers will need.",
        SECURITY, ("GDPR", "compliance", "privacy", "trust"), ("Anna Schmidt",),
    ),
    talk(
        "c048", 12, "14:00", "14:30", HUB, "Intel and Microsoft: the secure modern PC",
        "Hardware-based identity and protection with Windows 10 on 6th-generation Intel Core "
        "vPro processors, and the refresh opportunity in the installed base.",
        DEVICES, ("Intel", "Windows 10", "security", "PC refresh"), ("Dan Fischer",),
    ),
    talk(
        "c049", 12, "14:15", "15:15", S701A,
        "Open source on Azure: Linux, Red Hat and the partner opportunity",
        "Nearly one in three Azure virtual machines runs Linux. Red Hat Enterprise Linux on "
        "Azure, open-source stacks and how to sell Azure to customers who never bought Windows.",
        CLOUD, ("open source", "Linux", "Red Hat", "Azure"), ("Ian Russell",),
    ),
    talk(
        "c050", 12, "14:15", "15:15", N201B,
        "Co-selling with Microsoft: get your solution on the field's radar",
        "How Microsoft sellers find and recommend partner solutions, what a co-sell ready "
        "offer looks like and how to register opportunities.",
        PARTNER, ("co-sell", "go-to-market", "ISV"), ("Mark Sullivan",),
    ),
    talk(
        "c051", 12, "14:15", "15:15", S714, "Sécurité et conformité : préparer vos clients au RGPD",
        "Le règlement général sur la protection des données s'appliquera en mai 2018. Ce qu'il "
        "change pour vos clients, comment le cloud Microsoft les aide et quelles offres "
        "d'accompagnement proposer dès maintenant.",
        SECURITY, ("RGPD", "sécurité", "conformité", "France"), ("Sophie Marchand",), language="fr",
    ),
    talk(
        "c052", 12, "15:30", "16:15", TH1,
        "Yammer and Office 365 Groups: collaboration across the organization",
        "When to use which collaboration tool, how to plan governance, and an adoption approach "
        "that gets whole departments working in the open.",
        PRODUCTIVITY, ("Yammer", "Office 365 Groups", "collaboration"), ("Michael Tan",),
    ),
    talk(
        "c053", 12, "15:30", "16:15", TH2, "Selling cloud to SMB through the indirect CSP model",
        "Small partners do not need to run billing and support themselves. How indirect "
        "resellers and distributors share the work, and which offers sell best to small "
        "businesses.",
        SMB, ("SMB", "CSP", "distribution"), ("Paul Nguyen", "Grace Liu"),
    ),
    talk(
        "c054", 12, "15:30", "16:30", S701A, "Azure Government and the public sector cloud",
        "Sovereignty, certifications and procurement: what public sector customers need from "
        "the cloud, and how partners qualify for government work.",
        CLOUD, ("Azure Government", "public sector", "compliance"), ("Rachel Kim",),
    ),
    talk(
        "c055", 12, "15:30", "16:30", N201B,
        "Dynamics AX in the cloud: Lifecycle Services and the partner practice",
        "Implementation methodology, Lifecycle Services and the operations work that moves to "
        "Microsoft: how ERP partners adapt their delivery model for cloud deployments.",
        BUSINESS_APPS, ("Dynamics AX", "ERP", "Lifecycle Services"), ("Hannah Price",),
    ),
    talk(
        "c056", 12, "16:00", "16:30", HUB, "HoloLens: mixed reality for the enterprise",
        "Design reviews, remote assistance and training in mixed reality: a live HoloLens demo "
        "and the first commercial scenarios partners are delivering.",
        DEVICES, ("HoloLens", "mixed reality", "devices"), ("Chris Yang",),
    ),
    talk(
        "c057", 12, "16:30", "17:15", TH1, "Panel: what top cloud partners do differently",
        "Partners from three continents compare how they hire, price, sell and measure success "
        "in the cloud, moderated by the author of the partner profitability research.",
        PARTNER, ("profitability", "panel", "best practices"),
        ("Elena Rossi", "Ben Carter", "Aisha Mensah", "Erik Lindqvist"), kind="panel",
    ),
)

WEDNESDAY: tuple[Item, ...] = (
    talk(
        "c058", 13, "11:00", "11:45", TH1,
        "Cloud economics: build a customer business case for Azure",
        "Total cost of ownership, migration costs and the value of agility: a practical method "
        "and tools to build a business case a CFO will sign.",
        CLOUD, ("Azure", "TCO", "business case"), ("Natalie Brooks",),
    ),
    talk(
        "c059", 13, "11:00", "11:45", TH2,
        "Dynamics 365 Enterprise edition: CRM and ERP partners working together",
        "One platform for sales, service, operations and field service means CRM and ERP "
        "partners meet in the same deals. How to team up instead of competing.",
        BUSINESS_APPS, ("Dynamics 365", "CRM", "ERP", "partner-to-partner"),
        ("Carlos Mendes", "Hannah Price"),
    ),
    talk(
        "c060", 13, "11:00", "11:45", TH3, "The future of SharePoint: the intelligent intranet",
        "Modern team sites, the SharePoint mobile app and Office 365 Groups integration: the new "
        "SharePoint experience and the intranet projects it opens up.",
        PRODUCTIVITY, ("SharePoint", "intranet", "Office 365"), ("Rebecca Hall",),
    ),
    talk(
        "c061", 13, "11:00", "11:30", HUB,
        "Windows Defender Advanced Threat Protection in 30 minutes",
        "Post-breach detection built into Windows 10: see an attack unfold on the timeline and "
        "how partners can offer monitoring on top of it.",
        SECURITY, ("Windows Defender ATP", "Windows 10", "security"), ("Samuel Wright",),
    ),
    talk(
        "c062", 13, "11:15", "12:15", S701A,
        "Building intellectual property on Azure: from project to product",
        "Turn what you build for one customer into a product you sell to many: architecture, "
        "multi-tenancy and the commercial model, from a partner who made the jump.",
        PARTNER, ("IP", "ISV", "SaaS", "Azure"), ("Laura Chen", "Sven Karlsson"),
    ),
    talk(
        "c063", 13, "11:15", "12:15", N201B,
        "Customer success in the cloud: reduce churn, grow consumption",
        "In a subscription business the sale starts after the sale. Customer success roles, "
        "health scores and the usage data that tells you who is about to leave.",
        PARTNER, ("customer success", "churn", "consumption"), ("Jessica Moore",),
    ),
    talk(
        "c064", 13, "11:15", "12:15", S714, "Dynamics 365 : ce qui change pour les partenaires",
        "CRM et ERP réunis dans le cloud, nouvelles offres Business et Enterprise, AppSource : "
        "ce que Dynamics 365 change pour les partenaires français, et comment s'y préparer.",
        BUSINESS_APPS, ("Dynamics 365", "CRM", "ERP", "France"),
        ("Julien Garnier", "Camille Dubois"), language="fr",
    ),
    talk(
        "c065", 13, "12:00", "12:45", TH1,
        "Azure IoT in manufacturing: predictive maintenance in practice",
        "From sensor data to a maintenance work order: a predictive-maintenance solution built "
        "on Azure IoT Suite and Cortana Intelligence, step by step.",
        CLOUD, ("IoT", "predictive maintenance", "manufacturing"), ("Marta Kowalski",),
    ),
    talk(
        "c066", 13, "12:00", "12:45", TH2,
        "Protect documents everywhere with Azure Information Protection",
        "Classify, label and protect files and emails wherever they travel. What the new "
        "service does, how it builds on Azure Rights Management, and how to deploy it.",
        SECURITY, ("Azure Information Protection", "data protection", "EMS"), ("Anna Schmidt",),
    ),
    talk(
        "c067", 13, "12:30", "13:00", HUB,
        "Microsoft Cloud Germany: data trustee and data residency",
        "Azure, Office 365 and Dynamics from German datacenters under a German data trustee: "
        "what the new cloud region offers customers who need their data to stay in Germany.",
        CLOUD, ("Germany", "data residency", "compliance"), ("Stefan Hoffmann",),
    ),
    talk(
        "c068", 13, "13:00", "13:45", TH1, "Power BI Embedded: analytics inside your apps",
        "Add interactive reports and dashboards to your own applications, billed per session. "
        "A demo and the licensing model for ISVs.",
        DATA, ("Power BI Embedded", "ISV", "analytics"), ("Arjun Mehta",),
    ),
    talk(
        "c069", 13, "13:00", "14:00", S701A, "Selling to the business decision maker",
        "Digital transformation is decided outside IT. How to reach line-of-business leaders, "
        "talk outcomes instead of features and build a relationship with the CFO.",
        PARTNER, ("sales", "digital transformation", "business decision maker"), ("Elena Rossi",),
    ),
    talk(
        "c070", 13, "13:00", "14:00", N201B,
        "CSP deep dive: billing, support and the Partner Center APIs",
        "Automate provisioning, usage-based billing and support with the Partner Center APIs, "
        "with a provider's architecture and lessons learned.",
        PARTNER, ("CSP", "Partner Center", "API", "billing"), ("Ryan Patel", "Erik Lindqvist"),
    ),
    talk(
        "c071", 13, "14:00", "14:45", TH1, "Cloud security for small business",
        "Office 365 Business Premium, Exchange Online Protection and Intune give small customers "
        "enterprise-grade protection. Package them into a simple security offer.",
        SMB, ("SMB", "security", "Office 365", "Intune"), ("Grace Liu",),
    ),
    talk(
        "c072", 13, "14:00", "14:45", TH2,
        "Microsoft AppSource: reach business users with your SaaS apps",
        "The new storefront for line-of-business apps on Dynamics 365, Office 365 and Power BI: "
        "how to list, run trials and convert them into customers.",
        BUSINESS_APPS, ("AppSource", "SaaS", "ISV"), ("Nadia Petrova",),
    ),
    talk(
        "c073", 13, "14:15", "15:15", S701A, "Hybrid identity with Azure Active Directory",
        "Azure AD Connect, single sign-on to thousands of SaaS apps and conditional access: the "
        "identity foundation under every cloud project.",
        SECURITY, ("Azure Active Directory", "identity", "hybrid"), ("David Cohen",),
    ),
    talk(
        "c074", 13, "14:15", "15:15", N201B,
        "Windows 10 deployment at scale: upgrade paths and servicing",
        "In-place upgrade, Windows as a service, servicing branches and Windows Update for "
        "Business: a deployment plan that keeps customers current.",
        DEVICES, ("Windows 10", "deployment", "servicing"), ("Olivia Grant",),
    ),
    talk(
        "c075", 13, "15:30", "16:15", TH1, "Cortana Intelligence in retail: know your customer",
        "Demand forecasting, personalized offers and store analytics: retail solutions built by "
        "partners on Cortana Intelligence Suite.",
        DATA, ("Cortana Intelligence", "retail", "machine learning"), ("Kenji Watanabe",),
    ),
    talk(
        "c076", 13, "15:30", "16:30", S701A,
        "Partner-to-partner: find the right partners to fill your gaps",
        "No partner does everything. How IAMCP members find partners, structure joint offers "
        "and share revenue fairly.",
        PARTNER, ("partner-to-partner", "IAMCP", "alliances"), ("Diane Fraser", "Tom Becker"),
    ),
)

THURSDAY: tuple[Item, ...] = (
    talk(
        "c077", 14, "09:00", "09:45", TH1,
        "Recap: the WPC 2016 announcements that matter to partners",
        "Dynamics 365, Secure Productive Enterprise, Windows 10 Enterprise E3 in CSP, Azure "
        "Stack and the FY17 partner program in one session, with what to do next.",
        PARTNER, ("recap", "announcements", "WPC"), ("Laura Chen",),
    ),
    talk(
        "c078", 14, "09:00", "09:45", TH2,
        "Delve Analytics and MyAnalytics: measure the modern workplace",
        "Where does the working week go? Personal and organizational analytics from Office 365, "
        "and how to use them to steer an adoption project.",
        PRODUCTIVITY, ("MyAnalytics", "Delve", "modern workplace"), ("Rebecca Hall",),
    ),
    talk(
        "c079", 14, "09:00", "10:00", S701A,
        "Azure for ISVs: SaaS architectures and the marketplace",
        "Multi-tenant architecture on Azure App Service and SQL Database elastic pools, and how "
        "ISVs list and sell through the Azure Marketplace.",
        CLOUD, ("ISV", "SaaS", "Azure App Service"), ("Ian Russell",),
    ),
    talk(
        "c080", 14, "09:00", "10:00", N201B, "Write your FY17 partner business plan",
        "Take the week home: a template and a worked example for setting targets, choosing "
        "competencies and planning joint activities with your Microsoft team.",
        PARTNER, ("business plan", "FY17", "partner plan"), ("Daniel Ortega",),
    ),
    talk(
        "c081", 14, "10:00", "10:45", TH1, "Winning SMB customers with Office 365 Business Premium",
        "The plan most small businesses need, a migration approach that fits a two-person "
        "project and the services that keep them paying every month.",
        SMB, ("SMB", "Office 365", "Business Premium"), ("Paul Nguyen",),
    ),
    talk(
        "c082", 14, "10:15", "11:15", S701A, "Hands-on: provision a CSP customer in Partner Center",
        "Bring your laptop: create a customer, buy subscriptions, assign licenses and open a "
        "support request in a Partner Center sandbox.",
        PARTNER, ("CSP", "Partner Center", "hands-on"), ("Ryan Patel",), kind="workshop",
    ),
    talk(
        "c083", 14, "10:15", "11:15", N201B,
        "IoT business models: sell outcomes instead of devices",
        "Pay-per-use, uptime guarantees and data services: the commercial side of IoT projects, "
        "with examples from equipment makers and their partners.",
        CLOUD, ("IoT", "business models", "services"), ("Marta Kowalski", "Dan Fischer"),
    ),
    talk(
        "c084", 14, "11:00", "11:45", TH2,
        "Surface Hub and Skype Room Systems: the meeting room practice",
        "Modern meeting rooms from huddle space to boardroom: devices, installation and the "
        "managed service that keeps them working.",
        DEVICES, ("Surface Hub", "Skype Room Systems", "meeting rooms"), ("Emily Foster",),
    ),
)


LOGISTICS: tuple[Item, ...] = (
    plain(
        "o01", 10, "09:00", "20:00", "other", "Registration and badge pick-up", REGISTRATION,
        "Collect your badge and conference bag. Bring photo ID and your registration number.",
    ),
    plain(
        "o02", 11, "07:00", "18:00", "other", "Registration and information desk", REGISTRATION,
        "Late registration, badge reprints and questions about the week.",
    ),
    plain("m01", 10, "12:00", "13:30", "meal", "Lunch", EXHIBIT_HALL),
    plain("m02", 11, "07:00", "08:15", "meal", "Breakfast", EXHIBIT_HALL),
    plain("m03", 11, "11:30", "13:30", "meal", "Lunch", EXHIBIT_HALL),
    plain("m04", 12, "07:00", "08:15", "meal", "Breakfast", EXHIBIT_HALL),
    plain("m05", 12, "11:30", "13:30", "meal", "Lunch", EXHIBIT_HALL),
    plain("m06", 13, "07:00", "08:00", "meal", "Breakfast", EXHIBIT_HALL),
    plain("m07", 13, "11:30", "13:30", "meal", "Lunch", EXHIBIT_HALL),
    plain("m08", 14, "07:30", "09:00", "meal", "Breakfast", EXHIBIT_HALL),
    plain("m09", 14, "11:45", "13:30", "meal", "Grab-and-go lunch", EXHIBIT_HALL),
    plain("br01", 10, "15:30", "16:00", "break", "Coffee break", FOYER),
    plain("br02", 11, "15:00", "15:30", "break", "Afternoon coffee break", FOYER),
    plain("br03", 12, "15:00", "15:30", "break", "Afternoon coffee break", FOYER),
    plain("br04", 13, "15:00", "15:30", "break", "Afternoon coffee break", FOYER),
    plain("br05", 14, "10:45", "11:15", "break", "Morning coffee break", FOYER),
    plain(
        "s01", 10, "18:30", "21:00", "social", "Welcome reception", COMMONS,
        "Meet partners from around the world over drinks and Canadian food before the "
        "keynotes start.",
    ),
    plain(
        "ce01", 11, "18:00", "19:00", "ceremony", "Partner of the Year Awards ceremony", BALLROOM,
        "Celebrating this year's Microsoft Partner of the Year winners and finalists.",
        ("Gavriella Schuster",),
    ),
    plain(
        "s02", 11, "19:00", "21:00", "social", "Partner of the Year Awards reception", BALLROOM,
        "Drinks and networking with the award winners and finalists.",
    ),
    plain(
        "s03", 13, "08:00", "08:30", "social", "Morning concert: live band opens Day 3", ACC,
        "A live band warms up the Air Canada Centre before the final vision keynote. Doors "
        "open at 07:45.",
    ),
    plain(
        "s04", 13, "19:00", "23:00", "social", "WPC Partner Celebration", "Rogers Centre",
        "The closing party of WPC 2016: live music, food and drinks. Bring your badge; "
        "shuttles run from the Metro Toronto Convention Centre.",
    ),
    plain(
        "ce02", 14, "12:30", "13:00", "ceremony", "Closing remarks", HUB,
        "Thank you and goodbye from the Worldwide Partner Group, with a look ahead to next "
        "year's conference.",
        ("Gavriella Schuster",),
    ),
)

DELEGATIONS: tuple[Item, ...] = (
    plain(
        "d01", 10, "16:00", "17:00", "meetup", "Délégation française : rencontre d'ouverture",
        N201A,
        "Lancement de la semaine pour la délégation française : programme, sessions en "
        "français, rendez-vous avec les équipes de Microsoft France et soirée de la délégation.",
        ("Isabelle Moreau",), language="fr", subtitle="French delegation meetup",
        tags=("French delegation", "France", "délégation"),
    ),
    plain(
        "d02", 10, "16:00", "17:00", "meetup", "Canadian delegation kick-off", N203,
        "Welcome home: the Canadian partner community meets the Microsoft Canada team.",
        ("Andrea Walsh",), tags=("Canadian delegation", "Canada"),
    ),
    plain(
        "d03", 10, "16:00", "17:00", "meetup", "German delegation kick-off", N205,
        "Die deutsche Delegation trifft sich: the week's plan and the German partner events.",
        ("Stefan Hoffmann",), subtitle="Treffen der deutschen Delegation",
        tags=("German delegation", "Germany"),
    ),
    plain(
        "d04", 10, "16:00", "17:00", "meetup", "UK delegation kick-off", S701A,
        "The UK partner community and Microsoft UK: the week ahead and the FY17 priorities.",
        ("James Whitfield",), tags=("UK delegation", "United Kingdom"),
    ),
    plain(
        "d05", 10, "17:00", "18:00", "meetup", "Swiss delegation meetup", N201A,
        "Swiss partners meet Microsoft Switzerland, in English, German and French.",
        ("Nicole Baumann",), tags=("Swiss delegation", "Switzerland"),
    ),
    plain(
        "d06", 10, "17:00", "18:00", "meetup", "Nordics delegation meetup", N203,
        "Partners from Denmark, Finland, Iceland, Norway and Sweden get together before the "
        "welcome reception.",
        ("Mikael Jensen",), tags=("Nordics delegation", "Nordics"),
    ),
    plain(
        "d07", 10, "17:00", "18:00", "meetup", "Middle East & Africa delegation meetup", N205,
        "The Middle East & Africa partner community meets its Microsoft leadership team.",
        ("Omar Haddad",), tags=("Middle East & Africa delegation", "MEA"),
    ),
    plain(
        "d08", 11, "17:30", "18:30", "meetup", "Benelux delegation meetup", N203,
        "Partners from Belgium, the Netherlands and Luxembourg compare notes after day one.",
        ("Lotte de Vries",), tags=("Benelux delegation", "Netherlands", "Belgium"),
    ),
    plain(
        "d09", 11, "17:30", "18:30", "meetup", "Australia & New Zealand delegation meetup", N205,
        "The ANZ delegation meets for a briefing and drinks.", ("Hamish Clarke",),
        tags=("ANZ delegation", "Australia", "New Zealand"),
    ),
    plain(
        "d10", 12, "17:30", "18:30", "meetup", "Délégation française : débrief de mi-parcours",
        N201A,
        "Ce qu'il faut retenir des annonces de la semaine, et les rendez-vous à ne pas manquer "
        "d'ici jeudi.",
        ("Isabelle Moreau",), language="fr", subtitle="French delegation debrief",
        tags=("French delegation", "France", "délégation"),
    ),
    plain(
        "d11", 12, "17:30", "18:30", "meetup", "Latin America delegation meetup", N203,
        "Partners from across Latin America meet the regional Microsoft team.", ("Lucía Herrera",),
        tags=("Latin America delegation", "LATAM"),
    ),
    plain(
        "d12", 12, "12:15", "13:15", "meetup", "Women in Technology networking", N205,
        "An informal lunchtime meetup for women in the partner community and their allies. "
        "Grab a lunch box on the way.",
        tags=("networking", "diversity"),
    ),
    plain(
        "d13", 13, "16:00", "17:00", "meetup", "Asia Pacific delegation meetup", N203,
        "The Asia Pacific partner delegation meets before the Partner Celebration.", ("Wei Zhang",),
        tags=("Asia Pacific delegation", "APAC"),
    ),
)

# fmt: on

# Booths in the Commons: (code, company, booth number, what they show).
BOOTHS: tuple[tuple[str, str, int, str], ...] = (
    ("b01", "HP", 112, "Windows 10 devices, Elite x2 and managed print services"),
    ("b02", "Intel", 104, "6th-generation Intel Core vPro, IoT gateways and Azure Stack hardware"),
    ("b03", "Nintex", 118, "Workflow and process automation for Office 365 and SharePoint"),
    ("b04", "letsignit", 127, "Email signatures and campaign banners for Office 365"),
    ("b05", "Dell", 101, "Azure Stack integrated systems, hybrid cloud and client devices"),
    ("b06", "Lenovo", 108, "ThinkPad, ThinkServer and Azure Stack integrated systems"),
    ("b07", "Avanade", 121, "Digital workplace, Dynamics 365 and Azure consulting"),
    ("b08", "Crayon", 131, "Cloud Solution Provider distribution and software asset management"),
)

# The Commons exhibition hours, per day of July.
COMMONS_HOURS: tuple[tuple[int, str, str, str], ...] = (
    (11, "mon", "10:30", "18:00"),
    (12, "tue", "10:30", "18:00"),
    (13, "wed", "10:30", "17:00"),
    (14, "thu", "08:30", "13:00"),
)


def booths() -> tuple[Item, ...]:
    return tuple(
        Item(
            id=f"wpc16-{code}-{weekday}",
            day=day,
            start=start,
            end=end,
            kind="booth",
            title=f"{company} booth",
            subtitle=pitch,
            room=f"The Commons – Booth {number}",
            abstract=f"Visit {company} at booth {number} in the Commons. {pitch}.",
            tags=("Commons", "exhibitor", company),
        )
        for day, weekday, start, end in COMMONS_HOURS
        for code, company, number, pitch in BOOTHS
    )


def all_items() -> tuple[Item, ...]:
    return (
        KEYNOTES
        + SUNDAY
        + MONDAY
        + TUESDAY
        + WEDNESDAY
        + THURSDAY
        + LOGISTICS
        + DELEGATIONS
        + booths()
    )


def speaker(name: str) -> dict[str, str]:
    company, bio = PEOPLE[name]
    entry = {"name": name, "company": company}
    if bio:
        entry["bio"] = bio
    return entry


def session(item: Item) -> dict[str, Any]:
    date = f"2016-07-{item.day:02d}"
    record: dict[str, Any] = {
        "id": item.id,
        "title": item.title,
        "start": f"{date}T{item.start}",
        "end": f"{date}T{item.end}",
        "kind": item.kind,
        "room": item.room,
    }
    if item.subtitle:
        record["subtitle"] = item.subtitle
    if item.track:
        record["track"] = item.track
    if item.tags:
        record["tags"] = list(item.tags)
    record["language"] = item.language
    if item.abstract:
        record["abstract"] = item.abstract
    if item.speakers:
        record["speakers"] = [speaker(name) for name in item.speakers]
    return record


def document() -> dict[str, Any]:
    items = sorted(all_items(), key=lambda i: (i.day, i.start, i.end, i.id))
    return {"hallway": 1, "conference": CONFERENCE, "sessions": [session(i) for i in items]}


def main() -> None:
    text = json.dumps(document(), indent=2, ensure_ascii=False)
    OUTPUT.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
