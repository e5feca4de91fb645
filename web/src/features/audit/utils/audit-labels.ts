/**
 * The audit trail in the reader's language: every action code the server records (recordAudit calls; the test
 * beside this file reads the server's sources and fails on a code missing here), the target types and the
 * fields of diffs. A code not listed is shown as it is.
 */
type Label = readonly [zh: string, en: string];
type Lang = 'zh-CN' | 'en';

export const ACTION_LABELS: Record<string, Label> = {
  'user.create': ['创建账号', 'Account created'],
  'user.update': ['修改账号', 'Account changed'],
  'user.update_self': ['修改本人资料', 'Own profile changed'],
  'user.change_password': ['修改本人密码', 'Own password changed'],
  'user.reset_password': ['重置密码', 'Password reset'],
  'user.unlock': ['解除锁定', 'Account unlocked'],
  'user.add_post': ['添加岗位', 'Post added'],
  'user.remove_post': ['移除岗位', 'Post removed'],
  'token.create': ['创建 API 令牌', 'API token created'],
  'token.revoke': ['吊销 API 令牌', 'API token revoked'],
  'pii.reveal': ['查看完整个人信息', 'Personal data revealed'],
  'org.create': ['新建节点', 'Node created'],
  'org.update': ['修改节点', 'Node changed'],
  'org.move': ['移动节点', 'Node moved'],
  'org.retire': ['停用节点', 'Node retired'],
  'resident.create': ['登记居民', 'Resident registered'],
  'resident.update': ['修改居民信息', 'Resident changed'],
  'resident.move_out': ['迁出', 'Moved out'],
  'resident.death': ['登记死亡', 'Death recorded'],
  'resident.move_in': ['迁入', 'Moved in'],
  'resident.household': ['调整户籍关系', 'Household changed'],
  'resident.tag_add': ['添加标签', 'Tag added'],
  'resident.tag_remove': ['移除标签', 'Tag removed'],
  'resident.contact_add': ['添加紧急联系人', 'Contact added'],
  'resident.contact_remove': ['移除紧急联系人', 'Contact removed'],
  'resident.file_add': ['添加附件', 'File attached'],
  'resident.file_remove': ['移除附件', 'File removed'],
  'household.create': ['新建户', 'Household created'],
  'house.create': ['新建房屋', 'House created'],
  'house.update': ['修改房屋', 'House changed'],
  'move_in.decline': ['驳回迁入申请', 'Move-in request declined'],
  'people.import': ['导入居民', 'Residents imported'],
  'people.import.cancel': ['取消导入', 'Import cancelled'],
  'people.id_clash': ['身份证号与辖区外人员重复', 'ID number registered elsewhere'],
  'people.id_clash_limit': ['重复身份证号超出每日限额', 'Daily limit of ID clashes reached'],
  'people.demo_load': ['载入演示数据', 'Demo data loaded'],
  'tag.create': ['新建标签', 'Tag created'],
  'tag.update': ['修改标签', 'Tag changed'],
  'tag.delete': ['删除标签', 'Tag deleted'],
  'tag.refresh': ['重新计算规则标签', 'Rule tags recomputed'],
  'report.export': ['导出报表', 'Report exported'],
  'report_template.create': ['新建报表模板', 'Report template created'],
  'report_template.update': ['修改报表模板', 'Report template changed'],
  'report_template.delete': ['删除报表模板', 'Report template deleted'],
  'notify.channel.create': ['新建通知渠道', 'Notification channel created'],
  'notify.channel.update': ['修改通知渠道', 'Notification channel changed'],
  'notify.channel.delete': ['删除通知渠道', 'Notification channel deleted'],
  'job.retry': ['重试后台任务', 'Job retried'],
  'job.cancel': ['取消后台任务', 'Job cancelled'],
  // cases [E]: every step of a case is audited as case.<timeline action>
  'case.report': ['登记事件', 'Case reported'],
  'case.accept': ['事件接单', 'Case accepted'],
  'case.dispatch': ['派遣事件', 'Case dispatched'],
  'case.whistle': ['吹哨', 'Case whistled to departments'],
  'case.whistle_accept': ['部门报到', 'Department reported for duty'],
  'case.whistle_report': ['部门反馈', 'Department reported back'],
  'case.whistle_return': ['部门退回', 'Department returned the case'],
  'case.note': ['添加事件进展', 'Case progress added'],
  'case.handle': ['事件处置完成', 'Case handled'],
  'case.escalate': ['事件上报', 'Case escalated'],
  'case.return': ['退回事件', 'Case returned'],
  'case.verify_pass': ['核查通过并结案', 'Case checked and closed'],
  'case.verify_fail': ['核查未通过', 'Case check failed'],
  'case.park': ['事件挂账', 'Case parked'],
  'case.unpark': ['解除挂账', 'Case unparked'],
  'case.cancel': ['作废事件', 'Case cancelled'],
  'case.merge': ['合并事件', 'Case merged'],
  'case.rate': ['评价事件', 'Case rated'],
  'case.reopen': ['重新打开事件', 'Case reopened'],
  'case.department_create': ['新建职能部门', 'Department created'],
  'case.department_update': ['修改职能部门', 'Department changed'],
  'cases.calendar.override': ['设置工作日历', 'Working calendar day set'],
  'cases.calendar.override_delete': ['恢复工作日历', 'Working calendar day reset'],
  'cases.calendar.periods': ['修改工作时段', 'Working hours changed'],
  'cases.category.create': ['新增事件分类', 'Case category created'],
  'cases.category.update': ['修改事件分类', 'Case category changed'],
  'cases.stage.update': ['修改阶段名称', 'Case stage renamed'],
  // timeline actions written as `action: '…'` too (the test's pattern finds them); shown if ever audited
  report: ['登记', 'Reported'],
  merged_in: ['并入重复事件', 'Duplicate merged in'],
  remind: ['到期提醒', 'Deadline reminder'],
  supervise: ['督办', 'Supervision'],
  // devices [B]: what people do with an alarm, and its timeline actions (the test's pattern finds them too)
  'alarm.acknowledge': ['确认预警', 'Alarm acknowledged'],
  'alarm.resolve': ['处置完成预警', 'Alarm resolved'],
  'alarm.note': ['添加预警备注', 'Alarm note added'],
  'alarm.case': ['预警转事件', 'Case opened from an alarm'],
  raised: ['触发预警', 'Alarm raised'],
  notified: ['已通知', 'Notified'],
  escalated: ['预警升级', 'Escalated'],
  acknowledged: ['已确认', 'Acknowledged'],
  resolved: ['已处置', 'Resolved'],
  cleared: ['条件已解除', 'Condition cleared'],
  case_opened: ['已转事件', 'Case opened'],
  note: ['备注', 'Note'],
  // devices [C]
  'device_type.create': ['新增设备类型', 'Device type created'],
  'device_type.update': ['修改设备类型', 'Device type changed'],
  'device_rule.create': ['新增预警规则', 'Alarm rule created'],
  'device_rule.update': ['修改预警规则', 'Alarm rule changed'],
  'device.create': ['登记设备', 'Device registered'],
  'device.update': ['修改设备', 'Device changed'],
  'device.rotate': ['重置设备凭据', 'Device credentials rotated'],
  'device.retire': ['设备报废', 'Device retired'],
  'device.import': ['导入设备', 'Devices imported'],
  'device.export': ['导出设备清单', 'Device list exported'],
  'device.override_set': ['设置个人预警规则', 'Personal alarm rule set'],
  'device.override_clear': ['取消个人预警规则', 'Personal alarm rule removed'],
  'resident.away_set': ['设置外出', 'Marked away'],
  'resident.away_clear': ['取消外出', 'Marked home again'],
  // grid work [A]
  'visit_rule.create': ['新增走访规则', 'Visit rule created'],
  'visit_rule.update': ['修改走访规则', 'Visit rule changed'],
  'visit_rule.generate': ['立即生成走访任务', 'Visit tasks generated'],
  // grid work [B]: visit tasks and visits
  'visit_task.assign': ['改派走访任务', 'Visit task reassigned'],
  'visit_task.withdraw': ['撤回走访任务', 'Visit task withdrawn'],
  'visit.record': ['登记走访', 'Visit recorded'],
  'visit.case': ['走访转事件', 'Case opened from a visit'],
  // grid work [D]
  'grid_link.create': ['新增一网三联联系', 'Link (一网三联) added'],
  'grid_link.update': ['修改一网三联联系', 'Link (一网三联) changed'],
  'grid_link.end': ['结束一网三联联系', 'Link (一网三联) ended'],
  // grid work [E]: the patrol log
  'patrol.start': ['开始巡查', 'Patrol started'],
  'patrol.end': ['结束巡查', 'Patrol ended'],
  'patrol.finding': ['记录巡查发现', 'Patrol finding recorded'],
  'patrol.finding_case': ['巡查发现上报为事件', 'Case opened from a patrol finding'],
  // points, volunteers, time bank, partners
  'points.award': ['手工奖励积分', 'Points awarded by hand'],
  'points.deduct': ['手工扣减积分', 'Points deducted by hand'],
  'points.reverse': ['冲正', 'Entry reversed'],
  'points.redeem': ['积分兑换', 'Points redeemed'],
  'points.redeem.refund': ['兑换退回', 'Redemption refunded'],
  'points_settings.update': ['修改积分设置', 'Points settings changed'],
  'earning_rule.create': ['新增积分规则', 'Earning rule created'],
  'earning_rule.update': ['修改积分规则', 'Earning rule changed'],
  'earning_rule.enable': ['启用积分规则', 'Earning rule switched on'],
  'earning_rule.disable': ['停用积分规则', 'Earning rule switched off'],
  'garbage_checkin.create': ['垃圾分类打卡', 'Garbage-sorting check-in'],
  'merchant.create': ['新增商户', 'Merchant added'],
  'merchant.update': ['修改商户', 'Merchant changed'],
  'merchant.member.add': ['添加商户店员', 'Merchant staff added'],
  'merchant.member.remove': ['移除商户店员', 'Merchant staff removed'],
  'merchant.goods.create': ['新增兑换商品', 'Goods added'],
  'merchant.goods.update': ['修改兑换商品', 'Goods changed'],
  'merchant.settle': ['商户月结', 'Merchant month settled'],
  'merchant.settlement.paid': ['月结已付款', 'Settlement paid'],
  'volunteer.enrol': ['登记志愿者', 'Volunteer enrolled'],
  'volunteer.enrol_self': ['本人登记为志愿者', 'Enrolled as a volunteer (self)'],
  'volunteer.update': ['修改志愿者', 'Volunteer changed'],
  'volunteer.update_self': ['本人修改志愿者信息', 'Volunteer details changed (self)'],
  'volunteer_team.create': ['新建志愿队伍', 'Volunteer team created'],
  'volunteer_team.update': ['修改志愿队伍', 'Volunteer team changed'],
  'volunteer_team.member_add': ['加入志愿队伍', 'Team member added'],
  'volunteer_team.member_remove': ['移出志愿队伍', 'Team member removed'],
  'activity.create': ['发布活动', 'Activity published'],
  'activity.update': ['修改活动', 'Activity changed'],
  'activity.cancel': ['取消活动', 'Activity cancelled'],
  'activity.signup': ['活动报名', 'Signed up for an activity'],
  'activity.withdraw': ['取消报名', 'Sign-up withdrawn'],
  'activity.checkin': ['活动签到', 'Checked in at an activity'],
  'activity.attendance': ['点名签到', 'Attendance marked'],
  'timebank.service.record': ['登记服务时长', 'Service time recorded'],
  'timebank.service.confirm': ['确认服务时长', 'Service time confirmed'],
  'timebank.service.reject': ['退回服务时长', 'Service time rejected'],
  'timebank.request.create': ['发布服务需求', 'Service requested'],
  'timebank.request.match': ['需求派单', 'Request matched to a volunteer'],
  'timebank.request.accept': ['志愿者接单', 'Request taken by a volunteer'],
  'timebank.request.cancel': ['取消服务需求', 'Request cancelled'],
  'partner.apply': ['合伙人申请', 'Partner applied'],
  'partner.register': ['登记合伙人', 'Partner registered'],
  'partner.approve': ['合伙人审核通过', 'Partner approved'],
  'partner.reject': ['合伙人审核不通过', 'Partner rejected'],
  'partner.suspend': ['暂停合伙人', 'Partner suspended'],
  'partner_project.create': ['发布服务项目', 'Project published'],
  'partner_project.update': ['修改服务项目', 'Project changed'],
  'partner_project.close': ['关闭服务项目', 'Project closed'],
  'partner_claim.create': ['认领服务项目', 'Project claimed'],
  'partner_claim.withdraw': ['撤回认领', 'Claim withdrawn'],
  'partner_delivery.create': ['提交服务成果', 'Delivery recorded'],
  'partner_delivery.confirm': ['确认服务成果', 'Delivery confirmed'],
  'partner_delivery.reject': ['退回服务成果', 'Delivery rejected'],
  // ---- policies [A2] ----
  'policy.create': ['新建政策', 'Policy created'],
  'policy.update': ['修改政策', 'Policy changed'],
  'policy.status': ['变更政策状态', 'Policy status changed'],
  'policy.run.create': ['发起政策测算', 'Policy run started'],
  'policy.export': ['导出政策名单', 'Policy list exported'],
  'policy.candidate.confirm': ['核实政策候选人', 'Candidate confirmed'],
  'policy.candidate.reject': ['否决政策候选人', 'Candidate rejected'],
  'policy.candidate.receiving': ['登记享受政策', 'Benefit granted'],
  'policy.candidate.end': ['终止享受政策', 'Benefit ended'],
  // ---- end policies [A2] ----
  // ---- metrics [B] ----
  'metrics.refresh': ['重新计算考核指标', 'Metrics recomputed'],
  // ---- end metrics [B] ----
  // ---- assessment [C1] ----
  'assessment_scheme.create': ['新建考核方案', 'Assessment scheme created'],
  'assessment_scheme.update': ['修改考核方案', 'Assessment scheme changed'],
  'assessment_scheme.delete': ['删除考核方案', 'Assessment scheme deleted'],
  'assessment_scores.compute': ['重新计算考核得分', 'Scores recomputed'],
  'assessment_adjustment.create': ['考核加减分', 'Bonus or penalty added'],
  'assessment_adjustment.withdraw': ['撤销加减分', 'Bonus or penalty withdrawn'],
  'assessment_selection.propose': ['评选推荐（按得分）', 'Proposed for an honour'],
  'assessment_selection.create': ['提名评选', 'Nominated for an honour'],
  'assessment_selection.nominate': ['确认提名', 'Nomination confirmed'],
  'assessment_selection.approve': ['审批通过评选', 'Nomination approved'],
  'assessment_selection.decline': ['评选不予通过', 'Nomination declined'],
  'assessment_selection.publish': ['公示评选结果', 'Honour published'],
  // ---- end assessment [C1] ----
  // ---- dashboard [D] ----
  // ---- end dashboard [D] ----
  // ---- deliberation [A] ----
  'delib.verification.request': ['申请居民认证', 'Verification requested'],
  'delib.verification.approve': ['通过居民认证', 'Verification approved'],
  'delib.verification.reject': ['驳回居民认证', 'Verification rejected'],
  'delib.topic.create': ['提出议题', 'Topic raised'],
  'delib.topic.review': ['审核议题', 'Topic reviewed'],
  'delib.topic.close': ['结束议题', 'Topic closed'],
  'delib.vote.create': ['发起表决', 'Vote opened'],
  'delib.vote.close': ['结束表决', 'Vote closed'],
  'delib.comment.moderate': ['审核留言', 'Comment moderated'],
  'delib.comment.auto_hide': ['留言因举报隐藏', 'Comment hidden by reports'],
  'delib.meeting.create': ['记录三方会议', 'Meeting recorded'],
  'delib.meeting.update': ['修改会议纪要', 'Meeting changed'],
  'delib.decision.create': ['添加议定事项', 'Decision added'],
  'delib.decision.update': ['更新议定事项', 'Decision updated'],
  'delib.decision.case': ['议定事项转事件', 'Case opened for a decision'],
  // ---- end deliberation [A] ----
  // ---- notices [B] ----
  'notice.create': ['撰写通知公告', 'Notice written'],
  'notice.update': ['修改通知公告', 'Notice changed'],
  'notice.submit': ['提交通知审核', 'Notice submitted for review'],
  'notice.approve': ['审核通过通知', 'Notice approved'],
  'notice.reject': ['驳回通知', 'Notice rejected'],
  'notice.withdraw': ['撤回通知', 'Notice withdrawn'],
  'notice.publish': ['定时发布通知', 'Scheduled notice published'],
  'notice.export': ['导出阅读回执', 'Notice receipts exported'],
  // ---- end notices [B] ----
  // ---- services [C] ----
  'services.entry.create': ['添加便民服务', 'Directory entry added'],
  'services.entry.update': ['修改便民服务', 'Directory entry changed'],
  'services.entry.delete': ['删除便民服务', 'Directory entry removed'],
  'services.canteen.create': ['新建长者食堂', 'Canteen opened'],
  'services.subsidies.update': ['设置食堂补贴', 'Canteen subsidies set'],
  'services.menu.create': ['添加食堂菜单', 'Canteen menu added'],
  'services.order.create': ['长者食堂订餐', 'Meal ordered'],
  'services.order.cancel': ['长者食堂退订', 'Meal order cancelled'],
  // ---- end services [C] ----
  // ---- privacy [E] ----
  'privacy.data_read': ['居民查看本人数据', 'Resident read their own data'],
  'privacy.copy': ['居民下载本人数据副本', 'Resident downloaded a copy of their data'],
  'privacy.request_create': ['居民提交个人信息申请', 'Privacy request made'],
  'privacy.request_accept': ['同意个人信息申请', 'Privacy request accepted'],
  'privacy.request_reject': ['拒绝个人信息申请', 'Privacy request refused'],
  // ---- end privacy [E] ----
  // ---- machinery [D] ----
  'machinery.owner_create': ['登记农机主体', 'Register a machinery owner'],
  'machinery.machine_create': ['登记农机', 'Register a machine'],
  'machinery.machine_update': ['修改农机', 'Change a machine'],
  'machinery.demand_create': ['登记农机作业需求', 'Post a machinery demand'],
  'machinery.booking_create': ['预约农机', 'Book a machine'],
  'machinery.booking_complete': ['农机作业完工', 'Complete a machinery job'],
  'machinery.booking_cancel': ['取消农机预约', 'Cancel a machinery booking'],
  // ---- end machinery [D] ----
};

export const TARGET_LABELS: Record<string, Label> = {
  user: ['账号', 'Account'],
  api_token: ['API 令牌', 'API token'],
  org_node: ['组织节点', 'Node'],
  resident: ['居民', 'Resident'],
  household: ['户', 'Household'],
  house: ['房屋', 'House'],
  tag: ['标签', 'Tag'],
  import: ['导入批次', 'Import'],
  move_in_request: ['迁入申请', 'Move-in request'],
  people: ['人口数据', 'People data'],
  report_template: ['报表模板', 'Report template'],
  notify_channel: ['通知渠道', 'Notification channel'],
  job: ['后台任务', 'Job'],
  // cases [E]
  case: ['事件', 'Case'],
  department: ['职能部门', 'Department'],
  work_calendar_day: ['工作日历', 'Working calendar day'],
  case_category: ['事件分类', 'Case category'],
  case_stage: ['事件阶段', 'Case stage'],
  system_setting: ['系统设置', 'System setting'],
  // devices [B]
  alarm: ['设备预警', 'Alarm'],
  // devices [C]
  device: ['设备', 'Device'],
  device_type: ['设备类型', 'Device type'],
  device_rule: ['预警规则', 'Alarm rule'],
  // grid work [A]
  visit_rule: ['走访规则', 'Visit rule'],
  // grid work [B]
  visit_task: ['走访任务', 'Visit task'],
  visit: ['走访记录', 'Visit'],
  // grid work [D]
  grid_link: ['一网三联联系', 'Link (一网三联)'],
  // grid work [E]
  patrol: ['巡查', 'Patrol'],
  patrol_finding: ['巡查发现', 'Patrol finding'],
  // points, volunteers, time bank, partners
  ledger_transfer: ['积分流水', 'Ledger entry'],
  points_settings: ['积分设置', 'Points settings'],
  earning_rule: ['积分规则', 'Earning rule'],
  garbage_checkin: ['垃圾分类打卡', 'Garbage-sorting check-in'],
  merchant: ['商户', 'Merchant'],
  merchant_goods: ['兑换商品', 'Goods'],
  merchant_settlement: ['商户月结', 'Settlement'],
  redemption: ['兑换记录', 'Redemption'],
  volunteer: ['志愿者', 'Volunteer'],
  volunteer_team: ['志愿队伍', 'Volunteer team'],
  activity: ['志愿活动', 'Activity'],
  timebank_service: ['时间银行服务记录', 'Time-bank service'],
  timebank_request: ['时间银行需求', 'Time-bank request'],
  partner_org: ['红色合伙人', 'Partner'],
  partner_project: ['服务项目', 'Project'],
  partner_claim: ['项目认领', 'Claim'],
  partner_delivery: ['服务成果', 'Delivery'],
  // ---- policies [A2] ----
  policy: ['政策', 'Policy'],
  policy_run: ['政策测算', 'Policy run'],
  policy_candidate: ['政策候选人', 'Policy candidate'],
  // ---- end policies [A2] ----
  // ---- metrics [B] ----
  metric_period: ['考核期', 'Metrics period'],
  // ---- end metrics [B] ----
  // ---- assessment [C1] ----
  assessment_scheme: ['考核方案', 'Assessment scheme'],
  assessment_adjustment: ['考核加减分', 'Bonus or penalty'],
  assessment_selection: ['评选', 'Honour selection'],
  // ---- end assessment [C1] ----
  // ---- dashboard [D] ----
  // ---- end dashboard [D] ----
  // ---- deliberation [A] ----
  resident_verification: ['居民认证申请', 'Verification request'],
  delib_topic: ['议题', 'Topic'],
  delib_vote: ['表决', 'Vote'],
  delib_comment: ['议事留言', 'Comment'],
  delib_meeting: ['三方会议', 'Meeting'],
  delib_decision: ['议定事项', 'Decision'],
  // ---- end deliberation [A] ----
  // ---- notices [B] ----
  notice: ['通知公告', 'Notice'],
  // ---- end notices [B] ----
  // ---- services [C] ----
  service_entry: ['便民服务条目', 'Directory entry'],
  canteen: ['长者食堂', 'Canteen'],
  canteen_order: ['长者食堂订单', 'Meal order'],
  // ---- end services [C] ----
  // ---- privacy [E] ----
  privacy_request: ['个人信息申请', 'Privacy request'],
  // ---- end privacy [E] ----
  // ---- machinery [D] ----
  machinery_owner: ['农机主体', 'Machinery owner'],
  machinery_machine: ['农机', 'Machine'],
  machinery_demand: ['农机作业需求', 'Machinery demand'],
  machinery_booking: ['农机预约', 'Machinery booking'],
  // ---- end machinery [D] ----
};

export const FIELD_LABELS: Record<string, Label> = {
  name: ['名称/姓名', 'Name'],
  displayName: ['显示名', 'Display name'],
  username: ['用户名', 'Username'],
  phone: ['电话', 'Phone'],
  idNumber: ['身份证号', 'ID number'],
  disabled: ['停用', 'Disabled'],
  homeNodeId: ['所属节点', 'Home node'],
  resident: ['关联居民', 'Linked resident'],
  posts: ['岗位', 'Posts'],
  role: ['角色', 'Role'],
  nodeId: ['所在位置', 'Place'],
  code: ['编码', 'Code'],
  type: ['类型', 'Type'],
  parentId: ['上级', 'Parent'],
  status: ['状态', 'Status'],
  boundary: ['边界', 'Boundary'],
  subtreeSize: ['涉及节点数', 'Nodes in subtree'],
  ethnicity: ['民族', 'Ethnicity'],
  hukouAddress: ['户籍地址', 'Registered address'],
  currentAddress: ['现住址', 'Current address'],
  houseId: ['房屋', 'House'],
  householdId: ['户', 'Household'],
  householdNo: ['户号', 'Household number'],
  relation: ['与户主关系', 'Relation to head'],
  movedInOn: ['迁入日期', 'Moved in on'],
  leftOn: ['离开日期', 'Left on'],
  tag: ['标签', 'Tag'],
  contact: ['紧急联系人', 'Contact'],
  roomNo: ['房号', 'Room'],
  floor: ['楼层', 'Floor'],
  use: ['房屋用途', 'Use'],
  area: ['面积/范围', 'Area'],
  address: ['地址', 'Address'],
  sensitive: ['敏感', 'Sensitive'],
  rule: ['规则', 'Rule'],
  description: ['说明', 'Description'],
  sort: ['排序', 'Order'],
  added: ['新增', 'Added'],
  removed: ['移除', 'Removed'],
  rowsRead: ['读取行数', 'Rows read'],
  rowsValid: ['有效行数', 'Valid rows'],
  rowsInvalid: ['错误行数', 'Rows with errors'],
  rowsInserted: ['新增人数', 'People added'],
  rowsUpdated: ['更新人数', 'People updated'],
  rowsReview: ['提交迁入申请', 'Move-in requests filed'],
  residents: ['居民', 'Residents'],
  households: ['户', 'Households'],
  houses: ['房屋', 'Houses'],
  template: ['报表模板', 'Template'],
  rows: ['行数', 'Rows'],
  masked: ['脱敏', 'Masked'],
  definition: ['报表定义', 'Definition'],
  expiresAt: ['到期时间', 'Expires'],
  locale: ['语言', 'Language'],
  field: ['字段', 'Field'],
  count: ['次数', 'Count'],
  requester: ['申请人', 'Requester'],
  url: ['地址', 'URL'],
  enabled: ['启用', 'Enabled'],
  // grid work [B]
  assigneeId: ['承担人', 'Assignee'],
  withdrawnReason: ['撤回原因', 'Withdrawal reason'],
  taskId: ['走访任务', 'Visit task'],
  residentId: ['居民', 'Resident'],
  outcome: ['结果', 'Outcome'],
  visitedAt: ['走访时间', 'Visited at'],
  photos: ['照片数', 'Photos'],
  caseId: ['事件', 'Case'],
  // grid work [D]
  kind: ['种类', 'Kind'],
  userId: ['联系人', 'Linked person'],
  validFrom: ['有效期起', 'Valid from'],
  validTo: ['有效期至', 'Valid to'],
};

function pick(table: Record<string, Label>, key: string, lang: Lang): string | null {
  const label = table[key];
  return label ? label[lang === 'en' ? 1 : 0] : null;
}

export function actionLabel(code: string, lang: Lang): string {
  return pick(ACTION_LABELS, code, lang) ?? code;
}

export function targetLabel(type: string, lang: Lang): string {
  return pick(TARGET_LABELS, type, lang) ?? type;
}

export function fieldLabel(field: string, lang: Lang): string {
  return pick(FIELD_LABELS, field, lang) ?? field;
}

/**
 * A stated reason as text: `idNumber: 核实` (a reveal names the field it was for) becomes 身份证号：核实, and a
 * reason stored as a JSON object reads as its fields and values.
 */
export function reasonText(reason: string | null, lang: Lang): string {
  if (!reason) return '';
  const sep = lang === 'en' ? ': ' : '：';
  const trimmed = reason.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        return Object.entries(parsed as Record<string, unknown>)
          .map(([k, v]) => `${fieldLabel(k, lang)}${sep}${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(lang === 'en' ? '; ' : '；');
      }
    } catch {
      // not JSON after all: shown as written
    }
  }
  const m = /^([A-Za-z]\w*): ([\s\S]*)$/.exec(trimmed);
  if (m && FIELD_LABELS[m[1]!]) return `${fieldLabel(m[1]!, lang)}${sep}${m[2]}`;
  return reason;
}
