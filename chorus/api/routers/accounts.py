"""Connected social accounts. Credentials never leave the server."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.params import P, PathEx, QueryEx
from ninja.responses import Status

from chorus.api.lookup import caller, get_or_404, token
from chorus.api.pagination import Page
from chorus.api.schemas.accounts import AccountOut
from chorus.api.schemas.common import id_param, responses
from chorus.orgs import policy, services
from chorus.orgs.models import SocialAccount, Workspace
from chorus.orgs.policy import rule

router = Router(tags=["Social accounts"])

WorkspaceId = PathEx[int, id_param("The workspace's id.")]
AccountId = PathEx[int, id_param("The social account's id.")]


@router.get(
    "/workspaces/{workspace_id}/accounts",
    response=responses({200: list[AccountOut]}),
    summary="List a workspace's social accounts",
)
@paginate(Page)
@rule("account.view")
def list_accounts(
    request: HttpRequest,
    workspace_id: WorkspaceId,
    status: QueryEx[
        SocialAccount.Status | None, P(description="Only accounts in this state.")
    ] = None,
) -> QuerySet[SocialAccount]:
    """By network and handle, with their health: status, last success, last error."""
    workspace = get_or_404(Workspace, workspace_id, "organisation")
    policy.authorize(caller(request), "account.view", workspace, token=token(request))
    accounts = SocialAccount.objects.filter(workspace=workspace)
    if status is not None:
        accounts = accounts.filter(status=status.value)
    return accounts.order_by("network", "handle", "id")


@router.get(
    "/accounts/{account_id}", response=responses({200: AccountOut}), summary="Show a social account"
)
@rule("account.view")
def get_account(request: HttpRequest, account_id: AccountId) -> SocialAccount:
    account = get_or_404(SocialAccount, account_id, "workspace__organisation")
    policy.authorize(caller(request), "account.view", account, token=token(request))
    return account


@router.delete(
    "/accounts/{account_id}", response=responses({204: None}), summary="Disconnect a social account"
)
@rule("account.manage")
def disconnect_account(request: HttpRequest, account_id: AccountId) -> Status[None]:
    """Chorus forgets the account's credentials at once and stops using it. The account
    stays listed as disconnected, with its history, until it is connected again."""
    account = get_or_404(SocialAccount, account_id, "workspace__organisation")
    services.disconnect_account(caller(request), account, token=token(request))
    return Status(204, None)
