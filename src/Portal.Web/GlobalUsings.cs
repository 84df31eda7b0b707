global using Portal.Core.Environments;
global using Portal.Web.Components.Shared;
global using Portal.Web.Features;
global using Radzen;
global using Radzen.Blazor;
