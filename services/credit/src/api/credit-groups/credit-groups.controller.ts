import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { sum, toJson } from '@arc/money';
import { Commands, Idempotent, toMoney } from '@arc/platform';
import { customerCreditAccountDecider } from '../../domain/customer-credit-account.decider';
import { creditGroupDecider, creditGroupStreamId, groupExposure, type CreditGroupCommand } from '../../domain/group/credit-group.decider';
import { ConvertedOpenAr } from '../../commands/converted-open-ar';
import { commandContext } from '../command-context';
import { ROLE_MATRIX } from '../role-matrix';
import { AddGroupMemberDto, DefineCreditGroupDto, type CreditGroupResponse } from './credit-groups.dto';

/**
 * Credit groups: a parent and its subsidiaries sharing one limit. Joining is recorded on the member's own
 * stream first (it refuses a second group), then on the group's; both are repeats when run again, so a
 * request that failed between the two is completed by sending it again.
 */
@ApiTags('credit groups')
@Controller('credit-groups')
export class CreditGroupsController {
  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(ConvertedOpenAr) private readonly openArView: ConvertedOpenAr,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Define a credit group with its parent and shared limit' })
  @Roles(ROLE_MATRIX.manageCreditGroups)
  @Idempotent()
  async define(@Body() dto: DefineCreditGroupDto, @Actor() actor: AuthenticatedActor): Promise<CreditGroupResponse> {
    const groupLimit = toMoney(dto.groupLimit, 'groupLimit');
    // The parent's own refusal (unregistered, in another group) comes first, before the group exists.
    await this.join(dto.parentCustomerId, dto.groupId, actor);
    await this.onGroup(dto.groupId, `define-group:${dto.groupId}`, actor, {
      type: 'DefineCreditGroup',
      data: { groupId: dto.groupId, name: dto.name, parentCustomerId: dto.parentCustomerId, groupLimit },
    });
    return this.read(dto.groupId);
  }

  @Post(':groupId/members')
  @HttpCode(201)
  @ApiOperation({ summary: "Add a customer to a credit group: its checks must then fit the group's limit too" })
  @Roles(ROLE_MATRIX.manageCreditGroups)
  @Idempotent()
  async add(
    @Param('groupId', ParseUUIDPipe) groupId: string,
    @Body() dto: AddGroupMemberDto,
    @Actor() actor: AuthenticatedActor,
  ): Promise<CreditGroupResponse> {
    await this.read(groupId);
    await this.join(dto.customerId, groupId, actor);
    await this.onGroup(groupId, `add-member:${groupId}:${dto.customerId}`, actor, {
      type: 'AddGroupMember',
      data: { memberCustomerId: dto.customerId },
    });
    return this.read(groupId);
  }

  @Get(':groupId')
  @ApiOperation({ summary: "A credit group's limit, members and exposure" })
  @Roles(ROLE_MATRIX.readCreditStanding)
  async read(@Param('groupId', ParseUUIDPipe) groupId: string): Promise<CreditGroupResponse> {
    const { state: group } = await this.commands.load(creditGroupDecider, creditGroupStreamId(groupId));
    if (group.status !== 'defined') throw new NotFoundException(`no credit group ${groupId}`);
    const members = [...group.members];
    const openAr = sum(await Promise.all(members.map((m) => this.openArView.inCurrency(m, group.limit.currency))), group.limit.currency);
    return {
      groupId,
      name: group.name,
      parentCustomerId: group.parentCustomerId,
      groupLimit: toJson(group.limit),
      members,
      exposure: toJson(groupExposure(group, openAr)),
    };
  }

  private async join(customerId: string, groupId: string, actor: AuthenticatedActor): Promise<void> {
    await this.commands.execute(customerCreditAccountDecider, {
      ...commandContext(customerId, `join-group:${groupId}:${customerId}`),
      actor: actor.id,
      command: { type: 'JoinCreditGroup', data: { groupId } },
    });
  }

  private async onGroup(groupId: string, commandId: string, actor: AuthenticatedActor, command: CreditGroupCommand): Promise<void> {
    await this.commands.execute(creditGroupDecider, {
      streamId: creditGroupStreamId(groupId),
      customerId: groupId,
      commandId,
      actor: actor.id,
      occurredAt: new Date().toISOString(),
      command,
    });
  }
}
