using Microsoft.AspNetCore.Components.Forms;
using Portal.Core.Validation;
using Portal.Web.Components.Shared;
using Portal.Web.Features.Catalog;
using Portal.Web.Features.Environments;

namespace Portal.Web.Tests.Components.Shared;

public sealed class FormErrorsTests
{
    [Fact]
    public void Show_IndexedAndNestedKeys_LandOnTheRowsAndNestedFields()
    {
        var model = ServiceFormModel.New();
        model.Ports.Add(new PortRow { Name = "grpc", Port = 0 });
        model.Secrets.Add(new SecretRow { EnvName = "A", Secret = "Bad_Name", Key = "k" });
        var (store, edit) = Store(model);

        var summary = FormErrors.Show(Errors(("ports[1].port", "must be between 1 and 65535"), ("resources.cpuRequest", "not a quantity"),
            ("secrets[0].secret", "not a Secret name"), ("links.runbook", "not a URL"), ("imageRepository", "needs a name")), store, model);

        summary.ShouldBe("Please correct the fields marked below.");
        edit.GetValidationMessages(new FieldIdentifier(model.Ports[1], nameof(PortRow.Port))).ShouldBe(["must be between 1 and 65535"]);
        edit.GetValidationMessages(new FieldIdentifier(model.Ports[0], nameof(PortRow.Port))).ShouldBeEmpty("the error is the second row's");
        edit.GetValidationMessages(new FieldIdentifier(model.Resources, nameof(ResourceFields.CpuRequest))).ShouldBe(["not a quantity"]);
        edit.GetValidationMessages(new FieldIdentifier(model.Secrets[0], nameof(SecretRow.Secret))).ShouldBe(["not a Secret name"]);
        edit.GetValidationMessages(new FieldIdentifier(model.Links, nameof(LinkFields.Runbook))).ShouldBe(["not a URL"]);
        edit.GetValidationMessages(new FieldIdentifier(model, nameof(ServiceFormModel.ImageRepository))).ShouldBe(["needs a name"]);
    }

    [Fact]
    public void Show_KeysBeyondTheModel_FallBackToTheListOrTheSummary()
    {
        var model = ServiceFormModel.New();
        var (store, edit) = Store(model);

        var summary = FormErrors.Show(Errors(("ports[5].name", "bad name"), ("env.TOKEN", "too long"), ("env.Count", "too long too"), ("cluster", "unknown")), store, model);

        edit.GetValidationMessages(new FieldIdentifier(model, nameof(ServiceFormModel.Ports))).ShouldBe(["bad name"]);
        edit.GetValidationMessages(new FieldIdentifier(model, nameof(ServiceFormModel.Env))).ShouldBe(["too long", "too long too"], ignoreOrder: true);
        summary.ShouldBe("cluster: unknown");
    }

    [Fact]
    public void Show_EnvironmentForm_FlattenedKeysAsBefore()
    {
        var model = new EnvironmentForm();
        var (store, edit) = Store(model);

        FormErrors.Show(Errors(("quota.cpu", "too much"), ("labels.-x", "bad key")), store, model);

        edit.GetValidationMessages(new FieldIdentifier(model, nameof(EnvironmentForm.QuotaCpu))).ShouldBe(["too much"]);
        edit.GetValidationMessages(new FieldIdentifier(model, nameof(EnvironmentForm.Labels))).ShouldBe(["bad key"]);
    }

    private static (ValidationMessageStore, EditContext) Store(object model)
    {
        var edit = new EditContext(model);
        return (new ValidationMessageStore(edit), edit);
    }

    private static ValidationErrors Errors(params (string Field, string Message)[] errors)
    {
        var result = new ValidationErrors();
        foreach (var (field, message) in errors)
        {
            result.Add(field, message);
        }

        return result;
    }
}
