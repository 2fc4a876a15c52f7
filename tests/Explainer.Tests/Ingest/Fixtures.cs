namespace Explainer.Tests.Ingest;

/// <summary>Small files in each supported layout, written by the tests themselves.</summary>
internal static class Fixtures
{
    public const string ReviewsCsvHeader = "reviewerID,asin,reviewerName,helpful,reviewText,overall,summary,unixReviewTime,reviewTime\n";

    public static string ReviewsCsv(int rows, Func<int, string?>? rowOverride = null)
    {
        var sb = new System.Text.StringBuilder(ReviewsCsvHeader);
        for (var i = 1; i <= rows; i++)
        {
            sb.Append(rowOverride?.Invoke(i) ?? ReviewCsvRow(i)).Append('\n');
        }

        return sb.ToString();
    }

    public static string ReviewCsvRow(int i) =>
        $"U{i % 3},I{i % 4},\"Name, {i % 3}\",\"[{i % 2}, 2]\",\"Warm tone, \"\"great\"\" &amp; quiet.\nSecond line {i}.\",{1 + (i % 5)}.0,Summary {i},{1400000000 + i},\"01 01, 2014\"";

    public const string ReviewsJson2014 =
        """
        {"reviewerID": "A1", "asin": "B1", "reviewerName": "Ann", "helpful": [3, 4], "reviewText": "Bright &amp; clear strings.", "overall": 5.0, "summary": "Nice", "unixReviewTime": 1393545600, "reviewTime": "02 28, 2014"}
        {"reviewerID": "A2", "asin": "B1", "helpful": [0, 0], "reviewText": "Hums at high gain.", "overall": 2.0, "summary": "Meh", "unixReviewTime": 1393545700}
        """;

    public const string ReviewsJson2018 =
        """
        {"overall": 4.0, "vote": "1,234", "verified": true, "reviewTime": "02 28, 2014", "reviewerID": "A3", "asin": "B2", "style": {"Color:": " Black"}, "reviewerName": "Bo", "reviewText": "Solid stand.", "summary": "Good", "unixReviewTime": 1393545800, "image": ["http://x/y.jpg"]}
        {"overall": 1.0, "reviewerID": "A4", "asin": "B2", "reviewText": "Wobbly.", "summary": "Bad", "unixReviewTime": 1393545900}
        """;

    public const string ItemsCsv =
        "Product ID,Description,price,Category\n" +
        "B1,\"Ernie Ball 2221 Regular Slinky 10&quot;-46&quot; Strings\",4.99,Electric Guitar Strings\n" +
        "B2,\"On-Stage MS7701B Euro Boom Mic Stand\",,Microphone Stands\n";

    public const string ItemsJson2014 =
        """
        {"asin": "B1", "title": "Ernie Ball Slinky &amp; Co", "price": 4.99, "categories": [["Musical Instruments", "Instrument Accessories", "Guitar &amp; Bass Accessories", "Strings"]], "description": "Nickel wound."}
        """;

    public const string ItemsJson2018 =
        """
        {"asin": "B2", "title": "Mic Stand", "brand": "On-Stage", "price": "$19.99", "category": ["Musical Instruments", "Microphones &amp; Accessories", "Stands"], "description": ["Sturdy <b>boom</b> arm.", "Folds flat."], "feature": ["Steel", "Black finish"]}
        """;
}
