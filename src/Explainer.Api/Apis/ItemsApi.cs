using Explainer.Core.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Explainer.Api.Apis;

/// <summary><c>/v1/items/{id}</c>.</summary>
public static class ItemsApi
{
    public static RouteGroupBuilder MapItemsApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/items/{id}", Item)
            .WithName("GetItem")
            .WithSummary("An item: title, categories, price, its enriched description and keywords with evidence.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    public static Results<Ok<ItemResponse>, ProblemHttpResult> Item(string id, IRecommenderStore store)
    {
        if (store.FindItem(id) is not { } item)
        {
            return TypedResults.Problem($"No item '{id}' in the store.", statusCode: StatusCodes.Status404NotFound, title: "Unknown item");
        }

        var description = store.FindDescription(id);
        return TypedResults.Ok(new ItemResponse(
            item.Id,
            item.Title,
            item.Categories,
            item.Price,
            item.Brand,
            description?.Text ?? item.Description,
            description?.Engine ?? (item.Description is null ? null : "source"), // who wrote the text: an engine, or the catalogue itself
            [.. (description?.Keywords ?? []).Select(UsersApi.ToDto)]));
    }
}
