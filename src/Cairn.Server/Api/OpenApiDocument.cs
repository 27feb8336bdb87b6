using Microsoft.OpenApi;

namespace Cairn.Server.Api;

/// <summary>
/// Completes the generated OpenAPI document: every API operation lists the problem answers it can
/// give (RFC 9457, one shared schema), the bearer-key security scheme, and the Idempotency-Key and
/// If-Match headers where they apply.
/// </summary>
public static class OpenApiDocument
{
    private const string ProblemSchema = "Problem";

    /// <summary>Registers the document named <c>v1</c> with Cairn's additions.</summary>
    public static void AddCairnOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", o =>
        {
            o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            o.AddOperationTransformer((operation, context, _) =>
            {
                // A POST whose answer carries a secret shown once refuses Idempotency-Key (UnitOfWork); the others accept it.
                if (context.Description.HttpMethod == "POST" && !context.Description.ActionDescriptor.EndpointMetadata.OfType<SecretAnswer>().Any())
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = UnitOfWork.Header,
                        In = ParameterLocation.Header,
                        Description = "Makes the POST safe to retry: the first answer is stored and replayed for 24 hours.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 255 },
                    });
                }

                // An upload reads its form itself, after the permission check (no framework content-type
                // matching, which would answer 415 before the 403): its body is documented here.
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<Requests.AcceptsFilesAttribute>().Any())
                {
                    operation.RequestBody = new OpenApiRequestBody
                    {
                        Required = true,
                        Description = "multipart/form-data with one file in the part named 'file' (its file name is kept).",
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["multipart/form-data"] = new()
                            {
                                Schema = new OpenApiSchema
                                {
                                    Type = JsonSchemaType.Object,
                                    Required = new HashSet<string> { "file" },
                                    Properties = new Dictionary<string, IOpenApiSchema> { ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                                },
                            },
                        },
                    };
                }

                return Task.CompletedTask;
            });
            o.AddDocumentTransformer((document, _, _) =>
            {
                Complete(document);
                return Task.CompletedTask;
            });
        });

    private static void Complete(Microsoft.OpenApi.OpenApiDocument document)
    {
        document.Info.Title = "Cairn API";
        document.Info.Description = "Milestone billing: contracts, milestones, invoices, payments. Amounts are {\"amount\": \"3000.00\", \"currency\": \"EUR\"}; errors are RFC 9457 problem documents with a stable `code` and the `field` at fault. Every GET also answers HEAD (same status and headers, no body); every PATCH honours If-Match with the ETag its GET sent (412 when it is stale).";
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "type", "title", "status", "detail", "code" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A URI identifying the kind of problem." },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What went wrong and how to fix it." },
                ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Stable machine-readable code, e.g. invalid_amount, invalid_transition." },
                ["field"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request field at fault, when there is one." },
                ["errors"] = new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } } },
            },
        };
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["apiKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key created by an owner: Authorization: Bearer cairn_…",
        };

        // PATCH /settings tells "leave the window as it is" (absent) from "turn it off" (null), so it reads the raw JSON value.
        if (document.Components.Schemas.TryGetValue("SettingsInput", out var settings) && settings is OpenApiSchema { Properties: { } settingsFields } && settingsFields.ContainsKey("approvalWindowDays"))
        {
            settingsFields["approvalWindowDays"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Integer | JsonSchemaType.Null,
                Minimum = "1",
                Maximum = "365",
                Description = "Days after which a submitted milestone is approved automatically; null turns auto-approval off; leave it out to keep it.",
            };
        }

        // Request schemas first: a field the server lets a request leave out is not required there.
        var seen = new HashSet<IOpenApiSchema>(ReferenceEqualityComparer.Instance);
        foreach (var (_, schema) in document.Components.Schemas.Where(s => s.Key.EndsWith("Input", StringComparison.Ordinal)))
            Loosen(schema, seen, input: true, document.Components.Schemas);
        foreach (var schema in document.Components.Schemas.Values)
            Loosen(schema, seen, input: false, document.Components.Schemas);
        document.Components.Schemas.Remove("ProblemDetails");

        foreach (var (path, item) in document.Paths)
        {
            if (!path.StartsWith("/api/v1", StringComparison.Ordinal) || item.Operations is null)
                continue;

            // Every GET also answers HEAD (Http.AnswerHeadLikeGet); the document says so once instead of repeating each GET.
            item.Operations.Remove(HttpMethod.Head);
            foreach (var (method, operation) in item.Operations)
            {
                operation.Responses ??= new OpenApiResponses();
                DescribePaging(operation);
                Add(operation, document, "400", "The request is malformed or a field is invalid.");
                Add(operation, document, "401", "No valid API key or session.");
                Add(operation, document, "403", "The caller's role does not allow this.");
                Add(operation, document, "404", "No such resource (or one the request names) in the caller's organization.");
                Add(operation, document, "414", "The URL is longer than 8 KiB.");
                Add(operation, document, "503", "Retry after the Retry-After seconds: code busy (the database is busy with concurrent changes; nothing was changed) or connection_lost (the database restarted or failed over under the request; a change may have been cut off while committing, so repeat it with the same Idempotency-Key or read before repeating it).");
                if (method != HttpMethod.Get)
                {
                    Add(operation, document, "409", "The resource's state does not allow this (e.g. invalid_transition), or a concurrent change won.");
                    Add(operation, document, "413", "The body is larger than 1 MiB.");
                }

                if (operation.RequestBody is not null)
                    Add(operation, document, "415", "The body is not sent as application/json.");

                if (operation.Parameters?.Any(p => p.Name == UnitOfWork.Header) == true)
                    Add(operation, document, "422", "The Idempotency-Key was already used with a different request.");

                if (method == HttpMethod.Patch)
                {
                    Add(operation, document, "412", "If-Match named an older version.");
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = "If-Match",
                        In = ParameterLocation.Header,
                        Description = "The ETag read earlier; the change is refused with 412 if the resource changed since.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    });
                }

                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("apiKey", document)] = [] });
                UseProblemSchema(operation, document);
                foreach (var media in operation.RequestBody?.Content?.Values.AsEnumerable() ?? [])
                    Loosen(media.Schema, seen, input: true, document.Components.Schemas);
            }
        }
    }

    /// <summary>
    /// Makes the generated schemas say what the server does. A nullable value is "null or the
    /// schema" (<c>anyOf</c>: with <c>oneOf</c> a null that the inner schema also admits would match
    /// twice and fail); an enum lists its values only (the nullable wrapper admits null); and in a
    /// request a nullable property may be left out (the server treats it as absent, and a PATCH
    /// changes only what it names), so it is not <c>required</c>.
    /// </summary>
    private static void Loosen(IOpenApiSchema? schema, HashSet<IOpenApiSchema> seen, bool input, IDictionary<string, IOpenApiSchema> components)
    {
        // A schema a request names by reference (a party's details, an address) is loosened as input
        // too; where an answer shares it, the answer still carries every property.
        if (input && schema is OpenApiSchemaReference { Reference.Id: { } id } && components.TryGetValue(id, out var target))
            schema = target;
        if (schema is not OpenApiSchema s || !seen.Add(s))
            return;
        if (s.OneOf is { Count: > 0 } oneOf && oneOf.Any(IsNull))
        {
            s.AnyOf = oneOf;
            s.OneOf = null;
        }

        if (s.Enum is { Count: > 0 } values && values.Any(v => v is null) && s.Type?.HasFlag(JsonSchemaType.Null) != true)
            s.Enum = values.Where(v => v is not null).ToList();
        if (input && s.Required is { Count: > 0 } required && s.Properties is { } properties)
        {
            foreach (var (name, property) in properties)
            {
                if (property.Type?.HasFlag(JsonSchemaType.Null) == true || (property.AnyOf ?? property.OneOf)?.Any(IsNull) == true)
                    required.Remove(name);
            }
        }

        foreach (var child in (s.Properties?.Values ?? []).Concat(s.AnyOf ?? []).Concat(s.AllOf ?? []).Append(s.Items).Append(s.AdditionalProperties))
            Loosen(child, seen, input, components);
    }

    private static bool IsNull(IOpenApiSchema schema) => schema is OpenApiSchema { Type: JsonSchemaType.Null };

    /// <summary>Every problem answer, including those an endpoint declares itself, is Cairn's problem document (with its <c>code</c>).</summary>
    private static void UseProblemSchema(OpenApiOperation operation, Microsoft.OpenApi.OpenApiDocument document)
    {
        if (operation.Responses is null)
            return;
        foreach (var response in operation.Responses.Values)
        {
            if (response.Content?.TryGetValue(Problems.ContentType, out var media) == true)
                media.Schema = new OpenApiSchemaReference(ProblemSchema, document);
        }
    }

    /// <summary>The paging parameters arrive as text (so a bad one is named in the problem); they are documented as what they hold.</summary>
    private static void DescribePaging(OpenApiOperation operation)
    {
        if (operation.Parameters?.FirstOrDefault(p => p.Name == "limit" && p.In == ParameterLocation.Query) is OpenApiParameter limit)
        {
            limit.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1", Maximum = Cursor.MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), Default = System.Text.Json.Nodes.JsonValue.Create(Cursor.DefaultLimit) };
            limit.Description = $"Rows per page, 1 to {Cursor.MaxLimit} (default {Cursor.DefaultLimit}).";
        }

        if (operation.Parameters?.FirstOrDefault(p => p.Name == "cursor" && p.In == ParameterLocation.Query) is OpenApiParameter cursor)
            cursor.Description = "The nextCursor of the previous page.";
    }

    private static void Add(OpenApiOperation operation, Microsoft.OpenApi.OpenApiDocument document, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status))
            return;
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [Problems.ContentType] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
            },
        };
    }
}
