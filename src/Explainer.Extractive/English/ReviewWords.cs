namespace Explainer.Extractive.English;

/// <summary>
/// The few lists the lexicons do not give and reviews need. Hand-kept, small, and domain-neutral (nothing about
/// instruments or any other catalogue): VADER was built on social media and lacks common product-review words
/// ("flimsy", "sturdy", "junk"); idioms carry a sentiment but name no interest ("worth every penny"); and some nouns
/// are about the purchase, not the product ("shipping", "seller").
/// </summary>
internal static class ReviewWords
{
    /// <summary>Valences on VADER's scale (-4..4) for review words VADER does not list.</summary>
    public static readonly IReadOnlyDictionary<string, double> Valence = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["junk"] = -2.2, ["garbage"] = -2.2, ["ripoff"] = -2.5, ["rip-off"] = -2.5, ["fpos"] = -3.0, ["crappy"] = -2.3,
        ["flimsy"] = -1.8, ["cheaply"] = -1.2, ["overpriced"] = -1.8, ["wobbly"] = -1.2, ["tinny"] = -1.3, ["muddy"] = -1.2,
        ["buzz"] = -1.1, ["buzzes"] = -1.1, ["buzzed"] = -1.1, ["crackle"] = -1.2, ["crackles"] = -1.2, ["crackling"] = -1.3, ["buzzing"] = -1.1, ["hiss"] = -1.0, ["hissing"] = -1.1,
        ["flaky"] = -1.5, ["unreliable"] = -1.8, ["unusable"] = -2.2, ["unplayable"] = -2.2, ["faulty"] = -1.9, ["dud"] = -1.8,
        ["returned"] = -1.0, ["refund"] = -1.0, ["cracked"] = -1.5, ["snapped"] = -1.3, ["frayed"] = -1.2, ["rattles"] = -1.2,
        ["sturdy"] = 1.8, ["durable"] = 1.8, ["reliable"] = 1.8, ["accurate"] = 1.6, ["versatile"] = 1.5, ["crisp"] = 1.4,
        ["responsive"] = 1.2, ["smooth"] = 1.2, ["decent"] = 1.0, ["quiet"] = 0.8, ["sharp"] = 0.8, ["rich"] = 1.3,
        ["warm"] = 1.0, ["punchy"] = 1.2, ["balanced"] = 1.2, ["well-made"] = 2.0, ["rugged"] = 1.4, ["handy"] = 1.5,
        ["low"] = 0, // "low action", "low impedance": a measure, not a complaint (VADER: -1.1)
        ["top"] = 0, // "the top pickup": a place (VADER: 0.8)
        ["killer"] = 1.8, // VADER's -3.3 is the murderer; in reviews "a killer pedal", "killer tone" is praise
        ["flawless"] = 2.6, ["flawlessly"] = 2.6, ["spot-on"] = 2.0, ["snug"] = 1.0, ["lightweight"] = 0.8, ["bargain"] = 1.5,
    };

    /// <summary>
    /// Set phrases: their words are never interests ("penny" in "worth every penny"), and their sentiment counts as one
    /// word of this valence. Longest first, so "right out of the box" wins over "out of the box".
    /// </summary>
    public static readonly IReadOnlyList<(string[] Words, double Valence)> Idioms = Build(new (string, double)[]
    {
        ("worth every penny", 2.6), ("worth every cent", 2.6), ("worth the money", 2.2), ("worth the price", 2.2), ("well worth it", 2.4),
        ("bang for the buck", 2.2), ("bang for your buck", 2.2), ("bang for my buck", 2.2), ("for the money", 0.5), ("for the price", 0.5),
        ("waste of money", -2.8), ("waste of time", -2.5), ("piece of junk", -2.8), ("piece of crap", -3.0), ("piece of garbage", -3.0),
        ("piece of cake", 1.8), ("does the trick", 1.8), ("did the trick", 1.8), ("does the job", 1.5), ("did the job", 1.5),
        ("gets the job done", 1.6), ("got the job done", 1.6), ("the real deal", 2.0), ("no brainer", 1.8), ("no-brainer", 1.8),
        ("thumbs up", 2.0), ("thumbs down", -2.0), ("five stars", 2.0), ("5 stars", 2.0), ("one star", -2.0), ("1 star", -2.0),
        ("hit the spot", 1.8), ("a lot of", 0), ("lots of", 0), ("a bunch of", 0), ("at the end of the day", 0), ("in the long run", 0),
        ("right out of the box", 0), ("out of the box", 0), ("in a pinch", 0), ("on the fly", 0), ("by the way", 0), ("at all", 0),
        ("for sure", 0), ("in fact", 0), ("of course", 0), ("so far", 0), ("at first", 0), ("at least", 0), ("at the moment", 0),
        ("all in all", 0), ("in the meantime", 0), ("the rest of", 0), ("a couple of", 0), ("kind of", 0), ("sort of", 0),
        ("peace of mind", 1.5), ("the icing on the cake", 1.8), ("money back", -1.0), ("buyer beware", -2.0), ("save your money", -2.2),
        ("stays in tune", 2.0), ("stay in tune", 2.0), ("stayed in tune", 2.0), ("holds its tuning", 2.0), ("in tune", 0.5),
        ("out of tune", -1.8), ("goes out of tune", -2.0), ("fell apart", -2.2), ("falls apart", -2.2), ("stopped working", -2.2), ("quit working", -2.2), ("died on me", -2.2),
    });

    /// <summary>Words after which a problem is one avoided, not had: "without", "prevents", "no risk of", "possibility of".</summary>
    public static readonly HashSet<string> Avoiding = new(StringComparer.Ordinal)
    {
        "without", "prevent", "prevents", "prevented", "preventing", "avoid", "avoids", "avoided", "avoiding", "possibility", "risk", "eliminates", "eliminate",
    };

    /// <summary>Where one shops or reads, as the head of a phrase: "local music shops", "the guitar forums" are not about a product.</summary>
    public static readonly HashSet<string> NotProducts = new(StringComparer.Ordinal)
    {
        "shop", "shops", "store", "stores", "retailer", "retailers", "dealer", "dealers", "website", "websites", "site", "sites", "forum", "forums", "video", "videos",
    };

    /// <summary>
    /// Nouns that are about the purchase, the review or time rather than the product: never an interest, never an
    /// aspect ("shipping", "seller", "star", "price" — price claims are the item's price fact's to make).
    /// </summary>
    public static readonly HashSet<string> NotInterests = new(StringComparer.Ordinal)
    {
        "product", "products", "item", "items", "thing", "things", "stuff", "purchase", "purchases", "buy", "order", "orders",
        "amazon", "seller", "sellers", "vendor", "shipping", "shipment", "delivery", "package", "packaging", "box", "review",
        "reviews", "reviewer", "reviewers", "star", "stars", "rating", "price", "prices", "money", "cost", "costs", "dollar",
        "dollars", "buck", "bucks", "cent", "cents", "penny", "deal", "bargain", "value", "quality", "time", "times", "day",
        "days", "week", "weeks", "month", "months", "year", "years", "hour", "hours", "minute", "minutes", "way", "ways", "lot",
        "lots", "bit", "bunch", "kind", "sort", "type", "part", "parts", "piece", "pieces", "one", "ones", "none", "nothing",
        "everything", "anything", "something", "someone", "anyone", "everyone", "people", "person", "guy", "guys", "folks",
        "friend", "friends", "wife", "husband", "son", "daughter", "kid", "kids", "child", "children", "dad", "mom", "family",
        "gift", "christmas", "birthday", "problem", "problems", "issue", "issues", "complaint", "complaints", "con", "cons",
        "pro", "pros", "downside", "downsides", "plus", "minus", "fact", "reason", "point", "case", "place", "end", "start",
        "beginning", "use", "uses", "job", "work", "experience", "opinion", "idea", "question", "answer", "mistake", "trick",
        "lol", "ok", "okay", "yes", "yeah", "wow", "thanks", "thank", "update", "edit", "note", "unit", "version", "model",
        "brand", "company", "manufacturer", "description", "picture", "pictures", "photo", "photos", "title",
        "change", "difference", "improvement", "choice", "option", "options", "addition", "alternative", "matter", "level", "lack",
        "need", "needs", "favor", "sense", "chance", "luck", "result", "results", "attention", "instructions", "directions",
        "mine", "yours", "theirs", "ours", "hers", "theyre", "youre", "whats", "adult", "adults", "hand", "hands", "blood", "word",
        "words", "habit", "mark", "budget", "dealer", "dealers", "store", "stores", "shop", "customer", "customers", "owner", "owners",
        "user", "users", "player", "players", "beginner", "beginners", "pro", "pros", "musician", "musicians", "couple", "pair", "pack",
        "set", "sets", "ability", "capability", "abnormalities", "amount", "number", "lot", "aspect", "feature", "features",
        "device", "tool", "gadget", "unit", "units", "thingy", "name", "brands", "finger", "fingers", "fingertips", "finger tips",
        "shoulder", "shoulders", "wrist", "wrists", "thumb", "thumbs", "ear", "ears", "life", "spills", "residue", "adjustments",
    };

    /// <summary>
    /// Modifiers that point at another product than the one reviewed ("the original strings", "other pedals", "my old
    /// tuner"): what is only compared with is not an interest.
    /// </summary>
    public static readonly HashSet<string> OtherProduct = new(StringComparer.Ordinal)
    {
        "other", "original", "previous", "prior", "old", "older", "regular", "stock", "typical", "different", "similar", "cheaper",
        "expensive", "pricier", "competing", "competitor", "factory", "standard", "normal", "usual", "ordinary", "generic", "former",
    };

    private static List<(string[] Words, double Valence)> Build((string Phrase, double Valence)[] idioms) =>
        [.. idioms.Select(i => (i.Phrase.Split(' '), i.Valence)).OrderByDescending(i => i.Item1.Length)];
}
