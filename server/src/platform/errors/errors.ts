/**
 * One table of error codes: HTTP status and the message in each language. Services throw
 * `new AppError('ORG_NODE_NOT_FOUND')`; the HTTP layer turns it into `{ code, message, field? }`.
 */
export type Locale = 'zh-CN' | 'en';

type ErrorDef = { status: number; 'zh-CN': string; en: string };

export const ERRORS = {
  VALIDATION: { status: 400, 'zh-CN': '{field}：{detail}', en: '{field}: {detail}' },
  MALFORMED_JSON: { status: 400, 'zh-CN': '请求体不是合法的 JSON', en: 'The request body is not valid JSON' },
  CONTENT_TYPE_UNSUPPORTED: {
    status: 415,
    'zh-CN': '不支持的请求内容类型（请以 application/json 发送）',
    en: 'Unsupported content type (send application/json)',
  },
  ORIGIN_REFUSED: {
    status: 403,
    'zh-CN': '请求来源不是本系统，已拒绝（跨站请求）',
    en: 'The request did not come from Linli itself and was refused (cross-site request)',
  },
  BODY_TOO_LARGE: { status: 413, 'zh-CN': '请求体过大', en: 'The request body is too large' },
  NOT_FOUND: { status: 404, 'zh-CN': '未找到请求的地址', en: 'No such route' },
  RATE_LIMITED: { status: 429, 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  INTERNAL: {
    status: 500,
    'zh-CN': '服务器内部错误（请求编号 {requestId}）',
    en: 'Internal error (request {requestId})',
  },
  SERVICE_UNAVAILABLE: { status: 503, 'zh-CN': '服务暂不可用', en: 'Service unavailable' },

  AUTH_REQUIRED: { status: 401, 'zh-CN': '请先登录', en: 'Please log in' },
  AUTH_SESSION_INVALID: {
    status: 401,
    'zh-CN': '登录已失效，请重新登录',
    en: 'Your session has expired or is invalid; please log in again',
  },
  AUTH_TOKEN_INVALID: { status: 401, 'zh-CN': 'API 令牌无效或已撤销', en: 'The API token is invalid or revoked' },
  AUTH_INVALID_CREDENTIALS: { status: 401, 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' },
  AUTH_LOCKED: {
    status: 423,
    'zh-CN': '密码错误次数过多，账号已锁定至 {until}',
    en: 'Too many failed logins; the account is locked until {until}',
  },
  AUTH_DISABLED: { status: 403, 'zh-CN': '账号已停用', en: 'This account is disabled' },
  AUTH_WRONG_PASSWORD: { status: 400, 'zh-CN': '当前密码不正确', en: 'The current password is wrong' },
  TOKEN_NOT_ALLOWED: {
    status: 403,
    'zh-CN': 'API 令牌不能执行此操作，请登录后操作',
    en: 'An API token may not do this; log in to do it',
  },
  PASSWORD_CONFIRM_REQUIRED: {
    status: 403,
    'zh-CN': '此操作需要先确认密码',
    en: 'Confirm your password to do this',
  },
  PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    'zh-CN': '请先修改密码',
    en: 'Change your password first',
  },
  PASSWORD_WEAK: {
    status: 400,
    'zh-CN': '密码至少 8 位，且须同时包含字母和数字',
    en: 'A password needs at least 8 characters with both letters and digits',
  },
  FORBIDDEN: { status: 403, 'zh-CN': '无权执行此操作', en: 'You are not allowed to do this' },
  OUT_OF_SCOPE: { status: 403, 'zh-CN': '目标不在您的管辖范围内', en: 'The target lies outside your area' },

  ORG_NODE_NOT_FOUND: { status: 404, 'zh-CN': '组织节点不存在', en: 'No such node' },
  ORG_PARENT_NOT_FOUND: { status: 404, 'zh-CN': '上级节点不存在', en: 'No such parent node' },
  ORG_CHILD_TYPE_INVALID: {
    status: 400,
    'zh-CN': '“{parentType}”下不能建立“{type}”',
    en: 'A {type} cannot be placed under a {parentType}',
  },
  ORG_ROOT_TYPE_INVALID: {
    status: 400,
    'zh-CN': '只有县（区）可以作为顶级节点',
    en: 'Only a county can be a top-level node',
  },
  ORG_CODE_DUPLICATE: { status: 409, 'zh-CN': '编码 {code} 已被使用', en: 'Code {code} is already in use' },
  ORG_CODE_INVALID: {
    status: 400,
    'zh-CN': '县（区）编码须为 6 位 GB/T 2260 行政区划代码',
    en: 'A county code must be a 6-digit GB/T 2260 division code',
  },
  ORG_NAME_DUPLICATE: {
    status: 409,
    'zh-CN': '同一上级下已有名为“{name}”的节点',
    en: 'A node named “{name}” already exists under this parent',
  },
  ORG_MOVE_CYCLE: {
    status: 400,
    'zh-CN': '不能把节点移动到它自己或它的下级之下',
    en: 'A node cannot be moved under itself or one of its descendants',
  },
  ORG_NODE_RETIRED: { status: 409, 'zh-CN': '节点已撤销', en: 'The node is retired' },
  ORG_NODE_HAS_CHILDREN: {
    status: 409,
    'zh-CN': '该节点下还有 {count} 个在用的下级节点，请先撤销或迁移',
    en: 'The node still has {count} active child nodes; retire or move them first',
  },
  ORG_NODE_HAS_PEOPLE: {
    status: 409,
    'zh-CN': '该节点下还有 {count} 个在岗人员或账号，请先调整',
    en: 'The node still has {count} staff posts or accounts; reassign them first',
  },
  ORG_BOUNDARY_INVALID: {
    status: 400,
    'zh-CN': '边界须为 GeoJSON Polygon 或 MultiPolygon',
    en: 'The boundary must be a GeoJSON Polygon or MultiPolygon',
  },

  USER_NOT_FOUND: { status: 404, 'zh-CN': '用户不存在', en: 'No such user' },
  USERNAME_TAKEN: { status: 409, 'zh-CN': '用户名 {username} 已被使用', en: 'Username {username} is already taken' },
  POST_NOT_FOUND: { status: 404, 'zh-CN': '岗位不存在', en: 'No such post' },
  POST_DUPLICATE: { status: 409, 'zh-CN': '该用户已有此岗位', en: 'The user already holds this post' },
  HOME_NODE_REQUIRED: {
    status: 400,
    'zh-CN': '请为账号选择所属节点',
    en: 'Choose the node the account belongs to',
  },
  POST_NODE_REQUIRED: {
    status: 400,
    'zh-CN': '除系统管理员外，岗位必须绑定组织节点',
    en: 'Every post except a system administrator must be bound to a node',
  },
  ROLE_NOT_GRANTABLE: {
    status: 403,
    'zh-CN': '您不能授予“{role}”角色',
    en: 'You cannot grant the role {role}',
  },
  ROLE_NODE_TYPE_INVALID: {
    status: 400,
    'zh-CN': '“{role}”岗位不能设在“{type}”节点上，只能设在：{allowed}',
    en: 'A {role} post cannot sit on a {type}; it can sit on: {allowed}',
  },
  USER_RANK_PROTECTED: {
    status: 403,
    'zh-CN': '不能修改与您同级或更高级别的账号',
    en: 'You cannot change an account of your own rank or higher',
  },
  PHONE_INVALID: { status: 400, 'zh-CN': '电话号码格式不正确', en: 'The phone number is not valid' },
  PII_FIELD_EMPTY: { status: 404, 'zh-CN': '该字段没有内容', en: 'The field is empty' },
  REASON_REQUIRED: {
    status: 400,
    'zh-CN': '请说明事由（至少 {min} 个可见字符）',
    en: 'State a reason (at least {min} visible characters)',
  },
  TOKEN_NOT_FOUND: { status: 404, 'zh-CN': '令牌不存在', en: 'No such token' },
  USER_LAST_ADMIN: {
    status: 409,
    'zh-CN': '这是最后一个系统管理员，不能停用或撤销其管理员岗位',
    en: 'This is the last system administrator; it cannot be disabled or lose its admin post',
  },

  // people
  RESIDENT_NOT_FOUND: { status: 404, 'zh-CN': '人员不存在', en: 'No such resident' },
  RESIDENT_ACCOUNT_TAKEN: {
    status: 409,
    'zh-CN': '该居民已关联其他账号',
    en: 'Another account is already linked to this resident',
  },
  HOUSE_NOT_FOUND: { status: 404, 'zh-CN': '房屋不存在', en: 'No such house' },
  HOUSEHOLD_NOT_FOUND: { status: 404, 'zh-CN': '户不存在', en: 'No such household' },
  TAG_NOT_FOUND: { status: 404, 'zh-CN': '标签不存在', en: 'No such tag' },
  TAG_CODE_DUPLICATE: { status: 409, 'zh-CN': '标签编码 {code} 已存在', en: 'Tag code {code} already exists' },
  TAG_RULE_INVALID: { status: 400, 'zh-CN': '标签规则不正确（{detail}）', en: 'The tag rule is not valid ({detail})' },
  TAG_IS_DERIVED: {
    status: 409,
    'zh-CN': '“{name}”由规则自动计算，不能手工设置',
    en: '“{name}” is derived by a rule and cannot be set by hand',
  },
  TAG_IN_USE: { status: 409, 'zh-CN': '标签仍有 {count} 人使用', en: 'The tag is still held by {count} residents' },
  ID_NUMBER_INVALID: { status: 400, 'zh-CN': '身份证号不正确：{reason}', en: 'The ID number is not valid: {reason}' },
  ID_NUMBER_DUPLICATE: {
    status: 409,
    'zh-CN': '该身份证号的人员已登记',
    en: 'A resident with this ID number is already registered',
  },
  // Neutral on purpose: says nothing about whom the refused entries concerned.
  ID_CLASH_LIMIT: {
    status: 429,
    'zh-CN': '今日提交审核的人员已达上限，请明天再试或联系管理员',
    en: 'You have reached today’s limit of people submitted for review; try tomorrow or ask an administrator',
  },
  MOVE_IN_REQUEST_NOT_FOUND: { status: 404, 'zh-CN': '迁入申请不存在', en: 'No such move-in request' },
  MOVE_IN_REQUEST_DECIDED: {
    status: 409,
    'zh-CN': '该迁入申请已处理',
    en: 'The move-in request has already been decided',
  },
  RESIDENT_NODE_INVALID: {
    status: 400,
    'zh-CN': '人员须登记在网格、微网格、楼栋或单元下',
    en: 'A resident must be placed in a grid, micro-grid, building or unit',
  },
  RESIDENT_HOUSE_ELSEWHERE: {
    status: 400,
    'zh-CN': '房屋不在该人员的登记地点：请选择该地点的房屋，或不选',
    en: 'The house is not at the resident’s place: choose a house there, or none',
  },
  HOUSE_ROOM_DUPLICATE: { status: 409, 'zh-CN': '房号 {room} 已存在', en: 'Room {room} already exists here' },
  RESIDENT_NOT_ACTIVE: { status: 409, 'zh-CN': '该人员已迁出或死亡', en: 'The resident has moved out or died' },
  HOUSEHOLD_HAS_HEAD: { status: 409, 'zh-CN': '该户已有户主', en: 'The household already has a head' },
  DATE_INVALID: { status: 400, 'zh-CN': '日期不正确', en: 'The date is not valid' },
  RESIDENT_IN_OTHER_HOUSEHOLD: {
    status: 409,
    'zh-CN': '该人员已属于另一户，请确认迁户',
    en: 'The person belongs to another household; confirm the move',
  },
  TAG_HAS_CHILDREN: { status: 409, 'zh-CN': '该标签下还有子标签', en: 'The tag still has child tags' },

  // people import
  JOB_NOT_FOUND: {
    status: 404,
    'zh-CN': '后台任务不存在（可能已归档）',
    en: 'No such job (it may have been archived)',
  },
  JOB_NOT_RETRYABLE: {
    status: 409,
    'zh-CN': '只有失败的任务可以重新运行',
    en: 'Only a failed job can be run again',
  },
  JOB_ALREADY_QUEUED: {
    status: 409,
    'zh-CN': '同一对象的任务已在队列中或正在运行，无需重新运行',
    en: 'A job for the same thing is already queued or running',
  },
  // cases: configuration and working calendar (helper B, branch sla)
  CASE_CATEGORY_UNKNOWN: { status: 404, 'zh-CN': '事件分类不存在', en: 'No such case category' },
  CASE_CATEGORY_CODE_TAKEN: {
    status: 409,
    'zh-CN': '分类编码“{code}”已被使用',
    en: 'The category code “{code}” is already in use',
  },
  CASE_CATEGORY_PARENT_INVALID: {
    status: 400,
    'zh-CN': '上级分类不存在，或会形成循环',
    en: 'The parent category does not exist, or would make a cycle',
  },
  CASE_STAGE_UNKNOWN: { status: 404, 'zh-CN': '事件阶段不存在', en: 'No such case stage' },
  CASE_CALENDAR_PERIODS_INVALID: {
    status: 400,
    'zh-CN': '工作时段不正确：{detail}',
    en: 'The working periods are not valid: {detail}',
  },
  CASE_CALENDAR_OVERRIDE_NOT_FOUND: {
    status: 404,
    'zh-CN': '该日没有本地调整',
    en: 'That day has no local override',
  },
  JOB_NOT_CANCELLABLE: {
    status: 409,
    'zh-CN': '任务已结束，无法取消',
    en: 'The job has already ended and cannot be cancelled',
  },
  IMPORT_NOT_FOUND: { status: 404, 'zh-CN': '导入记录不存在', en: 'No such import' },
  IMPORT_FILE_REQUIRED: {
    status: 400,
    'zh-CN': '请在表单字段 file 中上传 Excel（.xlsx）或 CSV 文件',
    en: 'Upload an Excel (.xlsx) or CSV file in the form field “file”',
  },
  IMPORT_FILE_TOO_LARGE: {
    status: 413,
    'zh-CN': '文件超过 {limit} 的上限，请拆分后分批导入',
    en: 'The file exceeds the {limit} limit; split it and import the parts',
  },
  IMPORT_FILE_EMPTY: {
    status: 400,
    'zh-CN': '文件中没有数据（没有表头或没有数据行）',
    en: 'The file holds no data (no header or no rows)',
  },
  IMPORT_FILE_UNREADABLE: {
    status: 400,
    'zh-CN': '无法读取文件：它不是有效的 Excel（.xlsx、.xls）、WPS（.et）或 CSV 文件，或已损坏、加密',
    en: 'The file cannot be read: it is not a valid Excel (.xlsx, .xls), WPS (.et) or CSV file, or it is damaged or encrypted',
  },
  IMPORT_CSV_MALFORMED: {
    status: 400,
    'zh-CN': 'CSV 格式错误：第 {row} 行的引号没有闭合',
    en: 'Malformed CSV: a quoted field in row {row} is never closed',
  },
  IMPORT_COLUMN_MISSING: {
    status: 400,
    'zh-CN': '缺少必填列“{column}”（可下载模板对照表头，或指定列映射）',
    en: 'The required column “{column}” is missing (compare with the template, or give a column mapping)',
  },
  IMPORT_COLUMN_DUPLICATE: {
    status: 400,
    'zh-CN': '多个列对应同一字段：{column}',
    en: 'Several columns give the same field: {column}',
  },
  IMPORT_MAPPING_INVALID: {
    status: 400,
    'zh-CN': '列映射不正确：须为 JSON 对象 {"表头": "字段"}',
    en: 'The column mapping must be a JSON object {"header": "field"}',
  },
  IMPORT_MAPPING_FIELD_UNKNOWN: {
    status: 400,
    'zh-CN': '列映射中“{header}”对应的“{target}”不是可导入的字段',
    en: 'The mapping sends “{header}” to “{target}”, which is not an importable field',
  },
  IMPORT_MAPPING_HEADER_UNKNOWN: {
    status: 400,
    'zh-CN': '列映射中的“{header}”不是文件中的列名',
    en: 'The mapping names “{header}”, which is not a column of the file',
  },
  IMPORT_NOT_VALIDATED: {
    status: 409,
    'zh-CN': '只有校验完成、尚未提交的导入可以提交（该导入正在进行、已提交或已失败）',
    en: 'Only a validated import that is not committed yet can be committed (this one is running, committed or failed)',
  },
  IMPORT_CHANGED_DURING: {
    status: 409,
    'zh-CN': '导入期间有人员被登记到您的管辖范围以外，已全部撤销；请重新上传校验后再提交',
    en: 'Someone in the file was registered outside your area during the import; nothing was written. Upload it again',
  },
  IMPORT_INTERRUPTED: {
    status: 500,
    'zh-CN': '导入因服务重启或中断而未完成，数据库未作任何改动；可点“重新运行”再次执行（或重新上传）',
    en: 'The import was cut short (the server restarted); nothing was written. Run it again (or upload the file again)',
  },
  IMPORT_EXPIRED: {
    status: 410,
    'zh-CN': '校验后超过 {days} 天未提交，上传的文件已删除；请重新上传',
    en: 'Not committed within {days} days of its check: the uploaded file was deleted. Upload it again',
  },
  IMPORT_REPORT_MISSING: {
    status: 404,
    'zh-CN': '没有可下载的错误报告：导入仍在进行、已失败或已取消，或报告已过期（保留 7 天）',
    en: 'No error report to download: the import is still running, failed or was cancelled, or the report expired (kept 7 days)',
  },
  IMPORT_REPORT_NONE: {
    status: 404,
    'zh-CN': '该导入没有错误行，因此没有错误报告',
    en: 'This import has no invalid rows, so it has no error report',
  },
  IMPORT_NOT_RERUNNABLE: {
    status: 409,
    'zh-CN': '只有因服务重启而中断、且上传文件仍保留的导入可以重新运行',
    en: 'Only an import cut short by a restart, whose uploaded file is still kept, can be run again',
  },
  IMPORT_NOT_CANCELLABLE: {
    status: 409,
    'zh-CN': '只有校验完成、尚未提交的导入可以取消（该导入正在进行、已提交或已结束）',
    en: 'Only a validated import that is not committed yet can be cancelled (this one is running, committed or over)',
  },
  IMPORT_CANCELLED: {
    status: 410,
    'zh-CN': '导入已取消，上传的文件已删除',
    en: 'The import was cancelled; the uploaded file was deleted',
  },
  // files
  FILE_REQUIRED: { status: 400, 'zh-CN': '请选择要上传的文件', en: 'Choose a file to upload' },
  FILE_TYPE_UNSUPPORTED: {
    status: 415,
    'zh-CN':
      '“{name}”不是可上传的文件类型（照片：JPEG、PNG、WebP、GIF、AVIF；文件：PDF），按文件内容判断，与扩展名无关',
    en: '“{name}” is not a file type Linli accepts (photos: JPEG, PNG, WebP, GIF, AVIF; documents: PDF), judged by its content, not its name',
  },
  FILE_HEIC_UNSUPPORTED: {
    status: 415,
    'zh-CN':
      '“{name}”是 iPhone 的 HEIC 照片，服务器无法读取；请以 JPEG 发送（在手机页面上传会自动转换，或在 iPhone 设置 › 相机 › 格式中选“兼容性最佳”）',
    en: '“{name}” is an iPhone HEIC photo the server cannot read; send it as JPEG (the phone pages convert it when uploading, or choose Settings › Camera › Formats › Most Compatible on the iPhone)',
  },
  FILE_UNREADABLE: {
    status: 400,
    'zh-CN': '“{name}”已损坏或不完整，无法读取',
    en: '“{name}” is damaged or incomplete and cannot be read',
  },
  FILE_TOO_LARGE: {
    status: 413,
    'zh-CN': '“{name}”过大，单个文件不能超过 {limit}',
    en: '“{name}” is too large; a file may be at most {limit}',
  },
  FILE_IMAGE_TOO_LARGE: {
    status: 400,
    'zh-CN': '“{name}”的尺寸过大（{width}×{height} 像素），不能超过 {limit} 百万像素',
    en: '“{name}” is too large ({width}×{height} pixels); at most {limit} megapixels',
  },
  FILE_TOO_MANY: {
    status: 400,
    'zh-CN': '一次最多上传 {limit} 个文件',
    en: 'At most {limit} files can be uploaded at once',
  },
  FILE_ATTACH_LIMIT: {
    status: 400,
    'zh-CN': '每条记录最多 {limit} 个附件（已有 {count} 个）',
    en: 'A record holds at most {limit} attachments (it has {count})',
  },
  FILE_PENDING_LIMIT: {
    status: 429,
    'zh-CN': '您已有 {limit} 个上传尚未保存到记录中；请先保存，未使用的上传一天后自动删除',
    en: 'You have {limit} uploads not yet saved to a record; save them first (unused uploads are deleted after a day)',
  },
  FILE_NOT_FOUND: { status: 404, 'zh-CN': '文件不存在', en: 'No such file' },
  FILE_ALREADY_ATTACHED: {
    status: 409,
    'zh-CN': '该文件已保存到另一条记录，请重新上传',
    en: 'This file already belongs to another record; upload it again',
  },
  // reports
  REPORT_TEMPLATE_NOT_FOUND: { status: 404, 'zh-CN': '报表模板不存在', en: 'No such report template' },
  REPORT_TEMPLATE_BUILTIN: {
    status: 409,
    'zh-CN': '内置报表模板不能修改或删除，可另存为自定义模板后修改',
    en: 'Built-in report templates cannot be changed or deleted; save a copy as a custom template instead',
  },
  REPORT_DEFINITION_INVALID: {
    status: 400,
    'zh-CN': '报表定义中的“{field}”不正确',
    en: 'The report definition has an invalid value at {field}',
  },
  REPORT_FIELD_UNKNOWN: {
    status: 400,
    'zh-CN': '“{name}”不是此类报表（{entity}）可选的字段',
    en: '“{name}” is not a field {entity} reports can show',
  },
  REPORT_FIELD_DUPLICATE: { status: 400, 'zh-CN': '字段“{name}”重复', en: 'The field “{name}” appears twice' },
  REPORT_FILTER_NOT_APPLICABLE: {
    status: 400,
    'zh-CN': '筛选条件“{name}”不适用于此类报表（{entity}）',
    en: 'The filter “{name}” does not apply to {entity} reports',
  },
  REPORT_AGE_RANGE_INVALID: {
    status: 400,
    'zh-CN': '最小年龄不能大于最大年龄',
    en: 'The minimum age cannot be greater than the maximum age',
  },
  REPORT_GROUP_REQUIRED: {
    status: 400,
    'zh-CN': '统计报表须指定分组方式（按社区、网格或楼栋）',
    en: 'A count report needs a grouping (by community, grid or building)',
  },
  REPORT_SORT_INVALID: { status: 400, 'zh-CN': '不能按“{name}”排序', en: 'Reports cannot be sorted by “{name}”' },
  REPORT_TAG_UNKNOWN: { status: 400, 'zh-CN': '标签编码 {code} 不存在', en: 'There is no tag with code {code}' },
  REPORT_UNMASK_FORBIDDEN: {
    status: 403,
    'zh-CN': '导出完整身份证号和电话，须在整个导出范围内有查看完整个人信息的权限',
    en: 'Exporting full ID and phone numbers needs the permission to reveal personal data over the whole exported area',
  },
  INBOX_MESSAGE_NOT_FOUND: { status: 404, 'zh-CN': '消息不存在', en: 'No such message' },
  NOTIFY_CHANNEL_NOT_FOUND: {
    status: 404,
    'zh-CN': '通知渠道不存在或未启用',
    en: 'No such notification channel, or it is not enabled',
  },
  NOTIFY_CHANNEL_INVALID: {
    status: 400,
    'zh-CN': '通知渠道配置有误：{field}',
    en: 'The notification channel’s settings are not valid: {field}',
  },
  NOTIFY_KIND_UNKNOWN: { status: 400, 'zh-CN': '没有“{kind}”这类通知', en: 'There is no notification kind “{kind}”' },
  // ---- Open311 keys (helper C, o311) ----
  OPEN311_CLIENT_NOT_FOUND: {
    status: 404,
    'zh-CN': 'Open311 密钥不存在或已吊销',
    en: 'No such Open311 key, or it is already revoked',
  },
  OPEN311_NODE_INVALID: {
    status: 400,
    'zh-CN': 'Open311 密钥的服务区域须是县、街道、乡镇、社区、村或网格',
    en: 'An Open311 key’s area must be a county, street, town, community, village or grid',
  },
  // cases core (helper A)
  CASE_NOT_FOUND: { status: 404, 'zh-CN': '事件不存在', en: 'No such case' },
  CASE_TRANSITION_REFUSED: {
    status: 409,
    'zh-CN': '事件处于“{stage}”阶段，不能执行“{action}”',
    en: 'A case in the stage “{stage}” cannot be given the action “{action}”',
  },
  CASE_PLACE_OUTSIDE: {
    status: 400,
    'zh-CN': '事件地点不在您可以报事的范围内（须是您所在社区的网格、楼栋或房屋）',
    en: 'The place lies outside where you may report (a grid, building or house of your own community)',
  },
  CASE_PLACE_REQUIRED: {
    status: 400,
    'zh-CN': '请选择事件地点（房屋、楼栋或地图上的点）',
    en: 'Choose where it is (a house, a building or a point on the map)',
  },
  CASE_CATEGORY_NOT_FOUND: {
    status: 404,
    'zh-CN': '事件分类不存在或已停用',
    en: 'No such case category, or it is inactive',
  },
  CASE_DEPARTMENT_NOT_FOUND: { status: 404, 'zh-CN': '职能部门不存在', en: 'No such department' },
  CASE_DEPARTMENT_NAME_TAKEN: {
    status: 409,
    'zh-CN': '该节点下已有同名部门',
    en: 'A department of that name already exists at that node',
  },
  CASE_DEPARTMENT_MEMBER_INVALID: {
    status: 400,
    'zh-CN': '部门成员须是在该部门所在地区任“职能部门”岗位的账号',
    en: 'Members must be accounts holding a department post over the department’s node',
  },
  CASE_DISPATCH_TARGET_REQUIRED: {
    status: 400,
    'zh-CN': '请选择派遣到的网格或职能部门',
    en: 'Choose a grid or a department to dispatch to',
  },
  CASE_DISPATCH_TARGET_INVALID: {
    status: 400,
    'zh-CN': '只能派遣到您管辖范围内的网格',
    en: 'A case can be dispatched only to a grid of your area',
  },
  CASE_WHISTLE_NOT_FOUND: { status: 404, 'zh-CN': '吹哨记录不存在', en: 'No such whistle' },
  CASE_WHISTLE_CLOSED: {
    status: 409,
    'zh-CN': '该吹哨已“{status}”，不能再执行此操作',
    en: 'This whistle is already {status}',
  },
  CASE_MERGE_TARGET_INVALID: {
    status: 409,
    'zh-CN': '只能合并到您管辖范围内另一件未办结的事件',
    en: 'A case can be merged only into another open case of your area',
  },
  CASE_ALREADY_RATED: { status: 409, 'zh-CN': '该事件已经评价过', en: 'This case has already been rated' },
  CASE_REOPEN_EXPIRED: {
    status: 409,
    'zh-CN': '结案已超过 {days} 天，不能再申请重新办理',
    en: 'More than {days} days have passed since closing; it can no longer be reopened',
  },
  CASE_DATE_PAST: { status: 400, 'zh-CN': '日期不能早于今天', en: 'The date cannot be in the past' },
  CASE_CONTACT_NOT_ALLOWED: {
    status: 400,
    'zh-CN': '只有工作人员代为登记（如热线）时才能填写联系人',
    en: 'Only workers filing for someone (such as a hotline call) give a contact',
  },
  // end cases core
  // ---- case statistics (helper D) ----
  CASE_STATS_PERIOD_INVALID: {
    status: 400,
    'zh-CN': '统计期间有误：起止日期须为有效日期，开始不晚于结束，且不超过十年',
    en: 'The statistics period is not valid: real dates, the start not after the end, at most ten years',
  },
  // devices and alarms (issue 12)
  DEVICE_NOT_FOUND: { status: 404, 'zh-CN': '设备不存在', en: 'No such device' },
  DEVICE_TYPE_NOT_FOUND: { status: 404, 'zh-CN': '设备类型不存在', en: 'No such device type' },
  DEVICE_TYPE_CODE_TAKEN: { status: 409, 'zh-CN': '设备类型编码已存在', en: 'That device type code is taken' },
  DEVICE_TYPE_BUILTIN: {
    status: 409,
    'zh-CN': '内置设备类型的编码、指标和事件不能修改',
    en: 'A built-in device type keeps its code, metrics and events',
  },
  DEVICE_SERIAL_TAKEN: {
    status: 409,
    'zh-CN': '该类型下已有序列号为 {serial} 的设备',
    en: 'A device of this type with serial {serial} already exists',
  },
  DEVICE_RULE_NOT_FOUND: { status: 404, 'zh-CN': '预警规则不存在', en: 'No such alarm rule' },
  DEVICE_RULE_CODE_TAKEN: {
    status: 409,
    'zh-CN': '该设备类型下已有此规则编码',
    en: 'That rule code is taken for this type',
  },
  DEVICE_RULE_METRIC_UNKNOWN: {
    status: 400,
    'zh-CN': '设备类型没有指标“{metric}”',
    en: 'The device type has no metric "{metric}"',
  },
  DEVICE_AUTH_FAILED: { status: 401, 'zh-CN': '设备凭据无效', en: 'The device credentials are not valid' },
  DEVICE_DISABLED: { status: 403, 'zh-CN': '设备已停用', en: 'This device is disabled' },
  DEVICE_IMPORT_INVALID: {
    status: 400,
    'zh-CN': '导入文件有 {count} 处错误，未导入任何设备',
    en: 'The import file has {count} errors; no device was imported',
  },
  ALARM_NOT_FOUND: { status: 404, 'zh-CN': '预警不存在', en: 'No such alarm' },
  ALARM_TRANSITION_INVALID: {
    status: 409,
    'zh-CN': '预警当前状态为“{status}”，不能执行此操作',
    en: 'The alarm is {status}; this cannot be done now',
  },
  ALARM_CASE_EXISTS: { status: 409, 'zh-CN': '该预警已经生成事件', en: 'A case was already opened for this alarm' },
  TELEMETRY_RANGE_INVALID: {
    status: 400,
    'zh-CN': '时间范围有误：开始须早于结束，且不超过 400 天',
    en: 'The time range is not valid: the start before the end, at most 400 days',
  },
  // devices [B]
  ALARM_CHANGED: {
    status: 409,
    'zh-CN': '预警已被他人更新，请刷新后再试',
    en: 'The alarm was changed meanwhile; reload it and try again',
  },
  // devices [C]
  DEVICE_VERSION_CONFLICT: {
    status: 409,
    'zh-CN': '已被他人修改，请刷新后重试',
    en: 'Someone else changed this meanwhile; reload and try again',
  },
  DEVICE_HOUSE_ELSEWHERE: {
    status: 400,
    'zh-CN': '房屋不在设备的安装地点：请选择该地点的房屋，或不选',
    en: 'The house is not at the device’s place: choose a house there, or none',
  },
  DEVICE_RULE_EVENT_UNKNOWN: {
    status: 400,
    'zh-CN': '设备类型没有事件“{event}”',
    en: 'The device type has no event "{event}"',
  },
  // grid work (visits, links, patrols): pinned contract
  VISIT_RULE_NOT_FOUND: { status: 404, 'zh-CN': '走访规则不存在', en: 'No such visit rule' },
  VISIT_RULE_CODE_TAKEN: { status: 409, 'zh-CN': '规则编码“{code}”已被使用', en: 'The rule code "{code}" is taken' },
  VISIT_RULE_INVALID: {
    status: 400,
    'zh-CN': '走访规则有误：{reason}',
    en: 'The visit rule is not valid: {reason}',
  },
  VISIT_RULE_FREQUENCY_INVALID: {
    status: 400,
    'zh-CN': '走访频次须至少为每 1 个周期一次',
    en: 'The frequency must be at least once every 1 period',
  },
  VISIT_RULE_CYCLE: {
    status: 400,
    'zh-CN': '规则之间形成了循环：{chain}',
    en: 'The rules would form a cycle: {chain}',
  },
  VISIT_RULE_USES_TAG: {
    status: 409,
    'zh-CN': '走访规则“{rule}”仍在使用此标签，请先修改或停用该规则',
    en: 'The visit rule "{rule}" still uses this tag; change that rule first',
  },
  VISIT_RULE_VERSION_CONFLICT: {
    status: 409,
    'zh-CN': '规则已被他人修改，请刷新后重试',
    en: 'Someone else changed this rule meanwhile; reload and try again',
  },
  VISIT_TASK_NOT_FOUND: { status: 404, 'zh-CN': '走访任务不存在', en: 'No such visit task' },
  VISIT_TASK_NOT_YOURS: {
    status: 403,
    'zh-CN': '这是{assignee}的走访任务，不能由你登记',
    en: 'This visit task belongs to {assignee}; you cannot record it',
  },
  VISIT_TASK_CLOSED: {
    status: 409,
    'zh-CN': '走访任务已{status}，不能再登记',
    en: 'The visit task is {status}; no more visits can be recorded on it',
  },
  VISIT_ASSIGNEE_INVALID: {
    status: 400,
    'zh-CN': '该账号不能承担此处的走访任务',
    en: 'This account cannot take visit tasks here',
  },
  VISIT_NOT_FOUND: { status: 404, 'zh-CN': '走访记录不存在', en: 'No such visit' },
  VISIT_IN_FUTURE: {
    status: 400,
    'zh-CN': '走访时间不能晚于现在',
    en: 'The visit cannot be dated in the future',
  },
  VISIT_TOO_OLD: {
    status: 400,
    'zh-CN': '走访时间不能早于 {days} 天前',
    en: 'The visit cannot be dated more than {days} days ago',
  },
  VISIT_SUBJECT_REQUIRED: {
    status: 400,
    'zh-CN': '请选择走访的任务、居民或户',
    en: 'Choose the task, the resident or the household visited',
  },
  VISIT_CLIENT_ID_REUSED: {
    status: 409,
    'zh-CN': '这条走访已用不同内容提交过',
    en: 'This visit was already sent with different contents',
  },
  VISIT_CASE_EXISTS: { status: 409, 'zh-CN': '这次走访已经生成事件', en: 'A case was already opened for this visit' },
  VISIT_CASE_NEEDS_HELP: {
    status: 409,
    'zh-CN': '只有“需要帮助”的走访才能生成事件',
    en: 'Only a visit that found someone needing help can open a case',
  },
  GRID_LINK_NOT_FOUND: { status: 404, 'zh-CN': '联系关系不存在', en: 'No such link' },
  GRID_LINK_OUTSIDE_COMMUNITY: {
    status: 400,
    'zh-CN': '{target}不在联系人所在的社区（村）',
    en: '{target} is not in the linker’s community or village',
  },
  GRID_LINK_TARGET_INVALID: {
    status: 400,
    'zh-CN': '这种联系只能对应{expected}',
    en: 'This kind of link can only be to {expected}',
  },
  GRID_LINK_EXISTS: {
    status: 409,
    'zh-CN': '该联系关系已存在',
    en: 'This link exists already',
  },
  GRID_LINK_DATES_INVALID: {
    status: 400,
    'zh-CN': '有效期结束不能早于开始',
    en: 'The end of the validity cannot be before its start',
  },
  GRID_LINK_ENDED: { status: 409, 'zh-CN': '该联系关系已结束', en: 'This link has ended' },
  PATROL_NOT_FOUND: { status: 404, 'zh-CN': '巡查记录不存在', en: 'No such patrol' },
  PATROL_ALREADY_ACTIVE: {
    status: 409,
    'zh-CN': '你有一次巡查尚未结束',
    en: 'You have a patrol that has not ended',
  },
  PATROL_ENDED: { status: 409, 'zh-CN': '巡查已结束', en: 'The patrol has ended' },
  PATROL_NOT_YOURS: { status: 403, 'zh-CN': '这是他人的巡查', en: 'This is someone else’s patrol' },
  PATROL_FINDING_NOT_FOUND: { status: 404, 'zh-CN': '巡查发现不存在', en: 'No such finding' },
  PATROL_FINDING_CASE_EXISTS: {
    status: 409,
    'zh-CN': '该发现已经生成事件',
    en: 'A case was already opened for this finding',
  },
  // grid work [E]: a patrol's times come from the phone's clock
  PATROL_IN_FUTURE: { status: 400, 'zh-CN': '巡查时间不能晚于现在', en: 'A patrol cannot be dated in the future' },
  PATROL_TIMES_INVALID: {
    status: 400,
    'zh-CN': '结束时间不能早于开始时间',
    en: 'A patrol cannot end before it started',
  },
  // points: the ledger (pinned contract)
  LEDGER_ACCOUNT_NOT_FOUND: { status: 404, 'zh-CN': '账户不存在', en: 'No such account' },
  LEDGER_INSUFFICIENT_BALANCE: {
    status: 409,
    'zh-CN': '余额不足：可用 {balance}，需要 {amount}',
    en: 'Insufficient balance: {balance} available, {amount} needed',
  },
  LEDGER_LIMIT_EXCEEDED: {
    status: 409,
    'zh-CN': '超出账户上限 {limit}',
    en: 'This would take the account beyond its limit of {limit}',
  },
  LEDGER_ACCOUNT_FROZEN: { status: 409, 'zh-CN': '账户已冻结', en: 'The account is frozen' },
  LEDGER_CURRENCY_MISMATCH: {
    status: 400,
    'zh-CN': '账户币种与转账币种不一致',
    en: 'The account holds another currency than the transfer',
  },
  LEDGER_SAME_ACCOUNT: {
    status: 400,
    'zh-CN': '转出与转入不能是同一账户',
    en: 'A transfer needs two different accounts',
  },
  LEDGER_AMOUNT_INVALID: {
    status: 400,
    'zh-CN': '数额须为正整数',
    en: 'The amount must be a positive whole number',
  },
  LEDGER_TRANSFER_NOT_FOUND: { status: 404, 'zh-CN': '流水不存在', en: 'No such transfer' },
  LEDGER_ALREADY_REVERSED: { status: 409, 'zh-CN': '这笔流水已冲正', en: 'This transfer was already reversed' },
  LEDGER_NOT_REVERSIBLE: { status: 409, 'zh-CN': '冲正流水不能再冲正', en: 'A reversal cannot itself be reversed' },
  LEDGER_NO_RESIDENT: {
    status: 409,
    'zh-CN': '该账号未关联居民档案，无法使用积分',
    en: 'This account is not linked to a resident record, so it has no points',
  },
  LEDGER_NO_COMMUNITY: {
    status: 409,
    'zh-CN': '{target}不在任何社区（村）内，无法开立账户',
    en: '{target} lies in no community or village, so it can have no account',
  },
  // ---- points [A]: ledger statements, manual awards and reversals ----
  POINTS_PERIOD_INVALID: { status: 400, 'zh-CN': '结束日期不能早于开始日期', en: 'The period ends before it starts' },
  POINTS_RULE_NOT_MANUAL: {
    status: 400,
    'zh-CN': '没有这个启用的手工奖励规则',
    en: 'No enabled manual award rule has this code',
  },
  POINTS_RULE_DEDUCT: {
    status: 400,
    'zh-CN': '按规则奖励只能加分，扣分请不选规则',
    en: 'A rule only awards; deduct without a rule',
  },
  POINTS_AWARD_CAPPED: {
    status: 409,
    'zh-CN': '该规则已达到本日或本月上限，未发放',
    en: 'The rule’s daily or monthly cap is reached: nothing was awarded',
  },
  POINTS_REVERSE_ELSEWHERE: {
    status: 409,
    'zh-CN': '兑换、结算和时长流水请在各自的页面更正',
    en: 'Redemptions, settlements and hours are corrected on their own pages',
  },
  // ---- end points [A] ----
  // ---- points [B]: earning rules, automatic earning, expiry ----
  EARNING_RULE_NOT_FOUND: { status: 404, 'zh-CN': '积分规则不存在', en: 'No such earning rule' },
  EARNING_RULE_INVALID: {
    status: 400,
    'zh-CN': '积分规则填写有误（{field}：{reason}）',
    en: 'The earning rule is not valid ({field}: {reason})',
  },
  EARNING_RULE_CODE_TAKEN: {
    status: 409,
    'zh-CN': '规则编码 {code} 已被使用',
    en: 'The rule code {code} is taken',
  },
  EARNING_RULE_DUPLICATE: {
    status: 409,
    'zh-CN': '已有启用的同类规则（{rule}），请先停用它',
    en: 'An enabled rule for the same trigger exists ({rule}); disable it first',
  },
  EARNING_RULE_CONDUCT_OFF: {
    status: 409,
    'zh-CN': '未启用文明积分，不能使用文明积分规则',
    en: 'The conduct score is not enabled, so conduct rules cannot be used',
  },
  EARNING_RULE_VERSION_CONFLICT: {
    status: 409,
    'zh-CN': '该规则已被他人修改，请刷新后重试',
    en: 'Someone changed this rule meanwhile; reload and try again',
  },
  POINTS_SETTINGS_VERSION_CONFLICT: {
    status: 409,
    'zh-CN': '积分设置已被他人修改，请刷新后重试',
    en: 'Someone changed the points settings meanwhile; reload and try again',
  },
  GARBAGE_CHECKIN_CLIENT_REUSED: {
    status: 409,
    'zh-CN': '该打卡编号已用于另一位居民',
    en: 'This check-in id was already used for another resident',
  },
  // ---- end points [B] ----
  // ---- points [C]: merchants, redemption, settlement ----
  MERCHANT_NOT_FOUND: { status: 404, 'zh-CN': '兑换商户不存在', en: 'No such merchant' },
  MERCHANT_NODE_INVALID: {
    status: 400,
    'zh-CN': '商户所在位置须在某个社区（村）内',
    en: 'A merchant must lie in a community or village',
  },
  MERCHANT_MEMBER_INVALID: {
    status: 400,
    'zh-CN': '该账号不存在或不是商户角色，不能加为店员',
    en: 'This account does not exist or does not hold the merchant role, so it cannot be staff',
  },
  MERCHANT_MEMBER_NOT_FOUND: { status: 404, 'zh-CN': '该账号不是此商户的店员', en: 'This account is not staff here' },
  MERCHANT_GOODS_NOT_FOUND: { status: 404, 'zh-CN': '商品不存在', en: 'No such goods' },
  MERCHANT_GOODS_VERSION_CONFLICT: {
    status: 409,
    'zh-CN': '商品已被他人修改，请刷新后重试',
    en: 'Someone else changed these goods; reload and try again',
  },
  MERCHANT_GOODS_STOCK_NEGATIVE: {
    status: 409,
    'zh-CN': '库存不能小于 0（现有 {stock}）',
    en: 'Stock cannot go below 0 (there are {stock})',
  },
  SETTLEMENT_NOT_FOUND: { status: 404, 'zh-CN': '结算单不存在', en: 'No such settlement' },
  SETTLEMENT_PERIOD_OPEN: {
    status: 409,
    'zh-CN': '{period} 尚未结束，不能月结',
    en: '{period} is not over yet, so it cannot be settled',
  },
  SETTLEMENT_ALREADY_PAID: { status: 409, 'zh-CN': '结算单已标记付款', en: 'This settlement is already marked paid' },
  // ---- end points [C] ----
  // ---- points [G] ----
  // points [G]: redemption codes and the merchant's counter
  REDEEM_CODE_UNKNOWN: { status: 404, 'zh-CN': '兑换码无效', en: 'Unknown redemption code' },
  REDEEM_CODE_EXPIRED: {
    status: 409,
    'zh-CN': '兑换码已过期，请让居民刷新',
    en: 'The redemption code has expired; ask the resident to renew it',
  },
  REDEEM_CODE_USED: { status: 409, 'zh-CN': '兑换码已使用', en: 'The redemption code was already used' },
  REDEEM_CODE_NOT_FOUND: { status: 404, 'zh-CN': '兑换码不存在', en: 'No such redemption code' },
  REDEEM_GOODS_INVALID: {
    status: 409,
    'zh-CN': '商品{name}不属于本商户或已下架',
    en: 'The goods {name} are not this merchant’s or no longer offered',
  },
  REDEEM_STOCK_SHORT: {
    status: 409,
    'zh-CN': '{name}库存不足（剩余 {stock}）',
    en: 'Not enough {name} in stock ({stock} left)',
  },
  REDEEM_MERCHANT_NOT_FOUND: { status: 404, 'zh-CN': '商户不存在', en: 'No such merchant' },
  REDEEM_MERCHANT_SUSPENDED: {
    status: 409,
    'zh-CN': '商户{name}已暂停兑换',
    en: 'The merchant {name} is suspended',
  },
  REDEEM_MERCHANT_REQUIRED: {
    status: 400,
    'zh-CN': '请选择在哪个商户兑换',
    en: 'Choose the merchant to redeem at',
  },
  REDEEM_NOT_FOUND: { status: 404, 'zh-CN': '兑换记录不存在', en: 'No such redemption' },
  REDEEM_ALREADY_REFUNDED: { status: 409, 'zh-CN': '该兑换已退回', en: 'This redemption was already refunded' },
  REDEEM_REFUND_CLOSED: {
    status: 403,
    'zh-CN': '商户只能退回当天的兑换，请联系社区',
    en: 'A merchant can refund only the same day’s redemptions; ask the community',
  },
  // ---- end points [G] ----
  // ---- volunteers [D]: teams, volunteers, activities ----
  VOLUNTEER_TEAM_NOT_FOUND: { status: 404, 'zh-CN': '志愿队伍不存在', en: 'No such volunteer team' },
  VOLUNTEER_NOT_FOUND: { status: 404, 'zh-CN': '该居民不是志愿者', en: 'This resident is not an enrolled volunteer' },
  VOLUNTEER_RESIDENT_NOT_FOUND: { status: 404, 'zh-CN': '居民不存在', en: 'No such resident' },
  VOLUNTEER_USER_NOT_FOUND: { status: 404, 'zh-CN': '账号不存在', en: 'No such account' },
  VOLUNTEER_ALREADY_ENROLLED: { status: 409, 'zh-CN': '该居民已是志愿者', en: 'This resident is already enrolled' },
  VOLUNTEER_USER_TAKEN: {
    status: 409,
    'zh-CN': '该账号已关联另一名志愿者',
    en: 'This account already belongs to another volunteer',
  },
  VOLUNTEER_SKILL_UNKNOWN: { status: 400, 'zh-CN': '未知的技能：{skill}', en: 'Unknown skill: {skill}' },
  VOLUNTEER_LEFT: { status: 409, 'zh-CN': '该志愿者已退出', en: 'This volunteer has left' },
  VOLUNTEER_MEMBER_NOT_FOUND: { status: 404, 'zh-CN': '该志愿者不在队伍中', en: 'This volunteer is not in the team' },
  ACTIVITY_NOT_FOUND: { status: 404, 'zh-CN': '活动不存在', en: 'No such activity' },
  ACTIVITY_TYPE_UNKNOWN: { status: 400, 'zh-CN': '未知的活动类型', en: 'Unknown activity type' },
  ACTIVITY_TIMES_INVALID: { status: 400, 'zh-CN': '结束时间须晚于开始时间', en: 'The end must be after the start' },
  ACTIVITY_FULL: { status: 409, 'zh-CN': '活动名额已满', en: 'The activity is full' },
  ACTIVITY_ALREADY_SIGNED_UP: { status: 409, 'zh-CN': '您已报名该活动', en: 'You have already signed up' },
  ACTIVITY_SIGNUP_CLOSED: {
    status: 409,
    'zh-CN': '活动已开始，报名已截止',
    en: 'The activity has started: sign-up is closed',
  },
  ACTIVITY_NOT_SIGNED_UP: { status: 409, 'zh-CN': '您未报名该活动', en: 'You have not signed up for this activity' },
  ACTIVITY_CHECKIN_NOT_SIGNED_UP: {
    status: 409,
    'zh-CN': '未报名该活动，不能签到',
    en: 'Only those signed up can check in',
  },
  ACTIVITY_CHECKIN_NOT_OPEN: {
    status: 409,
    'zh-CN': '签到尚未开始（活动开始前 30 分钟开放）',
    en: 'Check-in opens 30 minutes before the start',
  },
  ACTIVITY_CHECKIN_CLOSED: {
    status: 409,
    'zh-CN': '活动已结束，签到已关闭',
    en: 'The activity is over: check-in is closed',
  },
  ACTIVITY_CHECKIN_CODE_INVALID: {
    status: 400,
    'zh-CN': '签到码错误或已过期，请扫描现场最新的二维码',
    en: 'Wrong or expired code: scan the QR code shown now',
  },
  ACTIVITY_CANCELLED: { status: 409, 'zh-CN': '活动已取消', en: 'The activity was cancelled' },
  ACTIVITY_ENDED: { status: 409, 'zh-CN': '活动已结束', en: 'The activity has ended' },
  ACTIVITY_CAPACITY_BELOW_SIGNUPS: {
    status: 409,
    'zh-CN': '名额不能少于已报名人数（{taken}）',
    en: 'The capacity cannot be below the sign-ups ({taken})',
  },
  ACTIVITY_SIGNUP_NOT_FOUND: { status: 404, 'zh-CN': '该居民未报名此活动', en: 'This resident has not signed up' },
  // ---- end volunteers [D] ----
  // ---- timebank [E] ----
  TIMEBANK_SERVICE_NOT_FOUND: { status: 404, 'zh-CN': '服务记录不存在', en: 'No such service record' },
  TIMEBANK_REQUEST_NOT_FOUND: { status: 404, 'zh-CN': '服务需求不存在', en: 'No such service request' },
  TIMEBANK_RECIPIENT_NOT_FOUND: {
    status: 404,
    'zh-CN': '在您服务的社区中找不到这位居民',
    en: 'No such resident among the people you serve',
  },
  TIMEBANK_VOLUNTEER_NOT_FOUND: {
    status: 404,
    'zh-CN': '找不到这名志愿者（须是本社区在册、可服务的志愿者）',
    en: 'No such volunteer (an enrolled, available volunteer of the community)',
  },
  TIMEBANK_NOT_VOLUNTEER: {
    status: 403,
    'zh-CN': '您还不是登记在册的志愿者，不能记录服务',
    en: 'You are not an enrolled volunteer, so you cannot record services',
  },
  TIMEBANK_SELF_CONFIRM: {
    status: 403,
    'zh-CN': '志愿者不能确认自己的服务记录',
    en: 'A volunteer cannot confirm their own service record',
  },
  TIMEBANK_SELF_SERVICE: {
    status: 400,
    'zh-CN': '不能为自己记录服务',
    en: 'A volunteer cannot record a service to themselves',
  },
  TIMEBANK_ALREADY_DECIDED: {
    status: 409,
    'zh-CN': '该服务记录已经确认或退回，不能再次处理',
    en: 'This service record was already confirmed or rejected',
  },
  TIMEBANK_NOT_FAMILY: {
    status: 403,
    'zh-CN': '只能为自己或同户家人发布需求',
    en: 'You can ask for service only for yourself or a member of your household',
  },
  TIMEBANK_HOURS_SHORT: {
    status: 409,
    'zh-CN': '可用时间不足：可用 {available} 分钟，需要 {needed} 分钟',
    en: 'Not enough hours: {available} minutes available, {needed} needed',
  },
  TIMEBANK_REQUEST_NOT_OPEN: {
    status: 409,
    'zh-CN': '该需求已匹配、完成或取消，不能这样处理',
    en: 'The request is no longer open for this (matched, done or cancelled)',
  },
  TIMEBANK_REQUEST_NOT_YOURS: {
    status: 409,
    'zh-CN': '该需求没有匹配给这名志愿者',
    en: 'The request is not matched to this volunteer',
  },
  TIMEBANK_REQUEST_HAS_SERVICE: {
    status: 409,
    'zh-CN': '该需求已有待确认或已确认的服务记录',
    en: 'The request already has a pending or confirmed service record',
  },
  TIMEBANK_IN_FUTURE: { status: 400, 'zh-CN': '服务时间不能晚于现在', en: 'A service cannot be dated in the future' },
  TIMEBANK_IN_PAST: { status: 400, 'zh-CN': '期望时间不能早于现在', en: 'The wanted time cannot be in the past' },
  // ---- end timebank [E] ----
  // ---- partners [F] ----
  PARTNER_ORG_NOT_FOUND: { status: 404, 'zh-CN': '合伙人组织不存在', en: 'No such partner organisation' },
  PARTNER_PROJECT_NOT_FOUND: { status: 404, 'zh-CN': '项目不存在', en: 'No such project' },
  PARTNER_CLAIM_NOT_FOUND: { status: 404, 'zh-CN': '认领记录不存在', en: 'No such claim' },
  PARTNER_DELIVERY_NOT_FOUND: { status: 404, 'zh-CN': '服务成果不存在', en: 'No such delivery' },
  PARTNER_CREDIT_CODE_INVALID: {
    status: 400,
    'zh-CN': '统一社会信用代码不正确（18位，末位为校验码）',
    en: 'The unified social credit code is not valid (18 characters, the last a check character)',
  },
  PARTNER_NODE_INVALID: {
    status: 400,
    'zh-CN': '服务区域须为您所在范围内的街道或社区',
    en: 'The area served must be a street or community within your post',
  },
  PARTNER_PROJECT_NODE_INVALID: {
    status: 400,
    'zh-CN': '项目须位于某个社区（村）内',
    en: 'A project must lie within a community or village',
  },
  PARTNER_ALREADY_APPLIED: {
    status: 409,
    'zh-CN': '您已有申请中或已通过的组织',
    en: 'You already have an organisation applied for or approved',
  },
  PARTNER_NOT_APPROVED: {
    status: 409,
    'zh-CN': '组织尚未通过审核，不能认领项目',
    en: 'The organisation is not approved, so it cannot claim projects',
  },
  PARTNER_ORG_REVIEWED: { status: 409, 'zh-CN': '该申请已审核', en: 'This application was already reviewed' },
  PARTNER_ORG_NOT_APPROVED: {
    status: 409,
    'zh-CN': '只有已通过的组织可以暂停',
    en: 'Only an approved organisation can be suspended',
  },
  PARTNER_PROJECT_CLOSED: { status: 409, 'zh-CN': '项目已关闭', en: 'The project is closed' },
  PARTNER_PROJECT_FULL: { status: 409, 'zh-CN': '项目认领名额已满', en: 'The project has all the claims it takes' },
  PARTNER_PROJECT_CLAIMED: {
    status: 409,
    'zh-CN': '您的组织已认领该项目',
    en: 'Your organisation has already claimed this project',
  },
  PARTNER_CLAIM_CLOSED: {
    status: 409,
    'zh-CN': '该认领当前不能进行此操作',
    en: 'This claim does not allow that now',
  },
  PARTNER_DELIVERY_REVIEWED: { status: 409, 'zh-CN': '该成果已审核', en: 'This delivery was already reviewed' },
  // ---- end partners [F] ----
  // ---- policies [A1] ----
  POLICY_RULE_INVALID: { status: 400, 'zh-CN': '政策条件有误：{detail}', en: 'The policy rule is invalid: {detail}' },
  POLICY_RULE_CYCLE: {
    status: 400,
    'zh-CN': '政策之间循环引用：{path}',
    en: 'The policies refer to each other in a cycle: {path}',
  },
  // ---- end policies [A1] ----
  // ---- policies [A2] ----
  POLICY_NOT_FOUND: { status: 404, 'zh-CN': '政策不存在', en: 'No such policy' },
  POLICY_RUN_NOT_FOUND: { status: 404, 'zh-CN': '测算记录不存在', en: 'No such policy run' },
  POLICY_CANDIDATE_NOT_FOUND: { status: 404, 'zh-CN': '政策候选人不存在', en: 'No such policy candidate' },
  POLICY_RESIDENT_NOT_FOUND: { status: 404, 'zh-CN': '居民不存在', en: 'No such resident' },
  POLICY_CANDIDATE_STATE: {
    status: 409,
    'zh-CN': '该候选人当前状态（{status}）不能进行此操作',
    en: 'This candidate’s status ({status}) does not allow that',
  },
  POLICY_CANDIDATE_VERSION_CONFLICT: {
    status: 409,
    'zh-CN': '该候选人已被他人处理，请刷新后重试',
    en: 'Someone else changed this candidate; reload and try again',
  },
  POLICY_CODE_DUPLICATE: {
    status: 409,
    'zh-CN': '政策编码 {code} 已被使用',
    en: 'Policy code {code} is already in use',
  },
  POLICY_NOT_ACTIVE: {
    status: 409,
    'zh-CN': '该政策未启用或不在有效期内',
    en: 'This policy is not active or not valid today',
  },
  POLICY_STATUS_INVALID: {
    status: 409,
    'zh-CN': '政策状态不能从 {from} 改为 {to}',
    en: 'A policy’s status cannot go from {from} to {to}',
  },
  POLICY_DATES_INVALID: {
    status: 400,
    'zh-CN': '有效期不正确：结束日期不能早于开始日期',
    en: 'Invalid validity: the end cannot be before the start',
  },
  POLICY_DATE_INVALID: { status: 400, 'zh-CN': '日期不正确（不能晚于今天）', en: 'Invalid date (not after today)' },
  POLICY_UNMASK_FORBIDDEN: {
    status: 403,
    'zh-CN': '无权导出完整个人信息',
    en: 'You may not export full personal data for this area',
  },
  // ---- end policies [A2] ----
  // ---- metrics [B] ----
  METRICS_PERIOD_INVALID: {
    status: 400,
    'zh-CN': '考核期的第一天不对（周从周一、月从 1 日、季度从 1/4/7/10 月 1 日开始）',
    en: 'Not the first day of a period (weeks start on Monday, months on the 1st, quarters on Jan/Apr/Jul/Oct 1)',
  },
  METRICS_METRIC_UNKNOWN: { status: 400, 'zh-CN': '没有这个指标：{metric}', en: 'No such metric: {metric}' },
  METRICS_SUBJECT_NOT_FOUND: { status: 404, 'zh-CN': '未找到该考核对象', en: 'No such subject' },
  METRICS_SUBJECT_INVALID: {
    status: 400,
    'zh-CN': '该指标不对此类对象计算',
    en: 'This metric is not computed for this kind of subject',
  },
  // ---- end metrics [B] ----
  // ---- assessment [C1] ----
  ASSESSMENT_SCHEME_NOT_FOUND: { status: 404, 'zh-CN': '考核方案不存在', en: 'Assessment scheme not found' },
  ASSESSMENT_METRIC_UNKNOWN: { status: 400, 'zh-CN': '未知的指标 {metric}', en: 'Unknown metric {metric}' },
  ASSESSMENT_METRIC_SUBJECT: {
    status: 400,
    'zh-CN': '指标 {metric} 不对该考核对象（{subject}）计算',
    en: 'The metric {metric} is not computed for this kind of subject ({subject})',
  },
  ASSESSMENT_METRIC_DUPLICATE: { status: 400, 'zh-CN': '指标 {metric} 重复', en: 'The metric {metric} appears twice' },
  ASSESSMENT_ITEM_RANGE: {
    status: 400,
    'zh-CN': '满分值与零分值不能相同',
    en: 'The full-marks value and the zero-marks value must differ',
  },
  ASSESSMENT_ITEM_DIRECTION: {
    status: 400,
    'zh-CN': '指标 {metric} 的满分值与零分值方向与“越高越好”设置不一致',
    en: 'The full-marks and zero-marks values of {metric} contradict its direction (higher or lower is better)',
  },
  ASSESSMENT_WEIGHTS_SUM: {
    status: 400,
    'zh-CN': '各项权重之和为 {sum}，应为 {total}',
    en: 'The weights sum to {sum}; they must sum to {total}',
  },
  ASSESSMENT_HONOUR_SUBJECT: {
    status: 400,
    'zh-CN': '该评选与考核对象不符（红旗网格须考核网格，优秀网格员须考核网格员）',
    en: 'The honour does not fit the subject (a red-flag grid needs grids, an excellent grid worker needs grid workers)',
  },
  ASSESSMENT_PERIOD_KIND: {
    status: 400,
    'zh-CN': '该日期不是本方案考核周期（{periodKind}）的第一天',
    en: 'The date is not the first day of a period of the scheme ({periodKind})',
  },
  ASSESSMENT_SUBJECT_NOT_FOUND: { status: 404, 'zh-CN': '考核对象不存在', en: 'Assessed subject not found' },
  ASSESSMENT_SUBJECT_KIND: {
    status: 400,
    'zh-CN': '考核对象类型与方案不符',
    en: 'The subject is not of the kind the scheme assesses',
  },
  ASSESSMENT_ADJUSTMENT_CAP: {
    status: 400,
    'zh-CN': '加减分超出上限 ±{cap}',
    en: 'The points exceed the cap of ±{cap}',
  },
  ASSESSMENT_ADJUSTMENT_NOT_FOUND: { status: 404, 'zh-CN': '加减分记录不存在', en: 'Adjustment not found' },
  ASSESSMENT_ADJUSTMENT_WITHDRAWN: {
    status: 409,
    'zh-CN': '该加减分已撤销',
    en: 'The adjustment was already withdrawn',
  },
  ASSESSMENT_NO_HONOUR: {
    status: 400,
    'zh-CN': '该方案不设评选',
    en: 'This scheme has no honour to select for',
  },
  ASSESSMENT_SELECTION_NOT_FOUND: { status: 404, 'zh-CN': '评选记录不存在', en: 'Selection not found' },
  ASSESSMENT_SELECTION_STATE: {
    status: 409,
    'zh-CN': '评选当前状态为“{status}”，不能进行此操作',
    en: 'The selection is {status}; that step is not possible now',
  },
  ASSESSMENT_SELECTION_EXISTS: {
    status: 409,
    'zh-CN': '该对象本期已在评选中',
    en: 'This subject is already in the selection for the period',
  },
  ASSESSMENT_SELECTION_LEVEL: {
    status: 403,
    'zh-CN': '须由{level}或以上的岗位审批',
    en: 'Only a post at {level} or above may decide this',
  },
  ASSESSMENT_SCHEME_IN_USE: {
    status: 409,
    'zh-CN': '该方案已有加减分或评选记录，不能删除，可停用',
    en: 'The scheme has adjustments or selections; deactivate it instead of deleting it',
  },
  ASSESSMENT_SELECTION_VERSION_CONFLICT: {
    status: 409,
    'zh-CN': '评选记录已被他人修改，请刷新后重试',
    en: 'The selection was changed by someone else; reload and try again',
  },
  // ---- end assessment [C1] ----
  // ---- dashboard [D] ----
  // ---- end dashboard [D] ----
  // ---- deliberation [A] ----
  DELIB_NOT_VERIFIED: {
    status: 403,
    'zh-CN': '请先完成居民实名认证（身份证号 + 手机号，经楼长或网格员核实）后再参与议事',
    en: 'Verify your resident account first (ID number and phone, approved by your building leader or grid worker)',
  },
  DELIB_NOT_ELIGIBLE: {
    status: 403,
    'zh-CN': '您不在本次表决的范围内（须为本区域年满18周岁的认证居民）',
    en: 'You are not among the voters of this vote (verified residents of the area aged 18 or over)',
  },
  DELIB_VERIFY_NO_MATCH: {
    status: 400,
    'zh-CN': '没有找到身份证号与手机号都相符的居民登记，请核对或联系网格员',
    en: 'No resident record matches both the ID number and the phone; check them or ask your grid worker',
  },
  DELIB_VERIFY_PENDING: {
    status: 409,
    'zh-CN': '已有一条认证申请在等待核实',
    en: 'A verification request is already waiting for a decision',
  },
  DELIB_VERIFY_ALREADY: { status: 409, 'zh-CN': '该账号已完成认证', en: 'This account is verified already' },
  DELIB_VERIFY_TAKEN: {
    status: 409,
    'zh-CN': '该居民登记已绑定其他账号，请联系网格员',
    en: 'That resident record is bound to another account; ask your grid worker',
  },
  DELIB_VERIFICATION_NOT_FOUND: { status: 404, 'zh-CN': '认证申请不存在', en: 'No such verification request' },
  DELIB_VERIFICATION_DECIDED: {
    status: 409,
    'zh-CN': '该认证申请已处理',
    en: 'The verification request was decided already',
  },
  DELIB_TOPIC_NOT_FOUND: { status: 404, 'zh-CN': '议题不存在', en: 'No such topic' },
  DELIB_TOPIC_STATE: {
    status: 409,
    'zh-CN': '议题当前状态为“{status}”，不能进行此操作',
    en: 'The topic is {status}; that is not possible now',
  },
  DELIB_NODE_KIND: {
    status: 400,
    'zh-CN': '议题范围须为社区、村、网格或楼栋',
    en: 'A topic belongs to a community, village, grid or building',
  },
  DELIB_NODE_NOT_ABOVE: {
    status: 400,
    'zh-CN': '只能在您所住楼栋及其上级网格、社区发起议题',
    en: 'You may raise a topic only for your own building, grid or community',
  },
  DELIB_COMMENT_NOT_FOUND: { status: 404, 'zh-CN': '评论不存在', en: 'No such comment' },
  DELIB_ALREADY_REPORTED: { status: 409, 'zh-CN': '您已举报过该评论', en: 'You reported this comment already' },
  DELIB_MODERATION_STATE: {
    status: 409,
    'zh-CN': '该评论当前为“{status}”，不能执行此操作',
    en: 'The comment is {status}; that action is not possible',
  },
  DELIB_PROPOSAL_NOT_FOUND: { status: 404, 'zh-CN': '提案不存在', en: 'No such proposal' },
  DELIB_ALREADY_SUPPORTED: { status: 409, 'zh-CN': '您已支持过该提案', en: 'You support this proposal already' },
  DELIB_VOTE_NOT_FOUND: { status: 404, 'zh-CN': '表决不存在', en: 'No such vote' },
  DELIB_VOTE_OVER: {
    status: 409,
    'zh-CN': '表决已结束（已截止或已关闭），不再接受投票',
    en: 'The vote is over (past its deadline or closed) and takes no more ballots',
  },
  DELIB_ALREADY_VOTED: { status: 409, 'zh-CN': '您已投过票', en: 'You have voted already' },
  DELIB_HOUSEHOLD_VOTED: {
    status: 409,
    'zh-CN': '本表决每户一票，您家已有成员投票',
    en: 'This vote takes one ballot per household, and a member of your household has voted',
  },
  DELIB_HOUSEHOLD_VOTED_BY: {
    status: 409,
    'zh-CN': '本表决每户一票，您家的{name}已投票',
    en: 'This vote takes one ballot per household, and {name} of your household has voted',
  },
  DELIB_OPTION_NOT_FOUND: { status: 400, 'zh-CN': '该选项不属于本表决', en: 'That option is not part of this vote' },
  DELIB_OPTIONS_DUPLICATE: { status: 400, 'zh-CN': '选项不能重复', en: 'The options must differ' },
  DELIB_DEADLINE_PAST: { status: 400, 'zh-CN': '截止时间须晚于现在', en: 'The deadline must lie in the future' },
  DELIB_QUORUM_SHARE: {
    status: 400,
    'zh-CN': '按比例计算的法定人数须在 0 到 1 之间',
    en: 'A quorum given as a share lies between 0 and 1',
  },
  DELIB_MEETING_NOT_FOUND: { status: 404, 'zh-CN': '会议不存在', en: 'No such meeting' },
  DELIB_DECISION_NOT_FOUND: { status: 404, 'zh-CN': '议定事项不存在', en: 'No such decision' },
  DELIB_DECISION_STATE: {
    status: 409,
    'zh-CN': '议定事项不能从“{from}”改为“{to}”',
    en: 'A decision cannot move from {from} to {to}',
  },
  DELIB_DECISION_HAS_CASE: {
    status: 409,
    'zh-CN': '该议定事项已关联事件',
    en: 'The decision is linked to a case already',
  },
  // ---- end deliberation [A] ----
  // ---- notices [B] ----
  NOTICE_NOT_FOUND: { status: 404, 'zh-CN': '通知公告不存在', en: 'No such notice' },
  NOTICE_BAD_STATUS: {
    status: 409,
    'zh-CN': '通知公告当前为「{status}」，不能这样操作',
    en: 'The notice is {status}, so this cannot be done now',
  },
  NOTICE_OWN_REVIEW: {
    status: 403,
    'zh-CN': '不能审核自己撰写的通知公告（须由他人审核）',
    en: 'You cannot review a notice you wrote: someone else must review it',
  },
  NOTICE_TAG_INVALID: {
    status: 400,
    'zh-CN': '标签不存在或不能用于定向发布',
    en: 'No such tag, or the tag cannot be used to target a notice',
  },
  NOTICE_BODY_EMPTY: { status: 400, 'zh-CN': '正文不能为空', en: 'The body is empty' },
  NOTICE_NO_RESIDENT: {
    status: 409,
    'zh-CN': '该账号未关联居民档案，无法查看通知公告',
    en: 'This account is not linked to a resident record, so it has no notices',
  },
  NOTICE_NOT_IMPORTANT: {
    status: 409,
    'zh-CN': '这条通知无需确认',
    en: 'This notice does not need a confirmation',
  },
  // ---- end notices [B] ----
  // ---- services [C] ----
  SERVICES_ENTRY_NOT_FOUND: { status: 404, 'zh-CN': '服务条目不存在', en: 'No such service entry' },
  SERVICES_CANTEEN_NOT_FOUND: { status: 404, 'zh-CN': '长者食堂不存在', en: 'No such canteen' },
  SERVICES_MENU_NOT_FOUND: { status: 404, 'zh-CN': '菜单不存在', en: 'No such menu' },
  SERVICES_ORDER_NOT_FOUND: { status: 404, 'zh-CN': '订餐记录不存在', en: 'No such meal order' },
  SERVICES_DINER_NOT_FOUND: { status: 404, 'zh-CN': '就餐居民不存在', en: 'No such diner' },
  SERVICES_MENU_EXISTS: {
    status: 409,
    'zh-CN': '{day}的这一餐已有菜单',
    en: 'There is already a menu for this meal on {day}',
  },
  SERVICES_NOT_FAMILY: {
    status: 403,
    'zh-CN': '只能为本人或同户家庭成员订餐',
    en: 'You can order only for yourself or a member of your household',
  },
  SERVICES_NOT_CANTEEN_AREA: {
    status: 400,
    'zh-CN': '{name}不住在该食堂的服务范围内',
    en: '{name} does not live in the area this canteen serves',
  },
  SERVICES_SOLD_OUT: {
    status: 409,
    'zh-CN': '份数不足：还剩 {left} 份',
    en: 'Not enough portions left: {left} remaining',
  },
  SERVICES_ORDERS_CLOSED: {
    status: 409,
    'zh-CN': '已过订餐/退订截止时间（{cutoff}）',
    en: 'Ordering and cancelling closed at {cutoff}',
  },
  SERVICES_ALREADY_ORDERED: {
    status: 409,
    'zh-CN': '{name}已订过这一餐',
    en: '{name} has already ordered this meal',
  },
  SERVICES_ALREADY_CANCELLED: { status: 409, 'zh-CN': '订单已取消', en: 'The order is already cancelled' },
  SERVICES_HOURS_NOT_ACCEPTED: {
    status: 400,
    'zh-CN': '这一餐不接受时间银行时长支付',
    en: 'This meal cannot be paid in time-bank hours',
  },
  SERVICES_NO_DELIVERY: { status: 400, 'zh-CN': '该食堂不提供送餐上门', en: 'This canteen does not deliver' },
  SERVICES_NO_ADDRESS: {
    status: 400,
    'zh-CN': '没有{name}的住址，无法送餐上门',
    en: 'There is no address for {name}, so the meal cannot be delivered',
  },
  SERVICES_TAG_NOT_FOUND: { status: 400, 'zh-CN': '补贴规则中的标签不存在', en: 'A subsidy rule names no known tag' },
  SERVICES_SUBSIDY_INVALID: {
    status: 400,
    'zh-CN': '补贴比例须在 1–100 之间，且每个标签只能有一条规则',
    en: 'A percentage must be 1 to 100, and each tag may have one rule only',
  },
  SERVICES_DAY_INVALID: { status: 400, 'zh-CN': '日期无效', en: 'The date is not valid' },
  // ---- end services [C] ----
  // ---- privacy [E] ----
  PRIVACY_NOT_LINKED: {
    status: 404,
    'zh-CN': '您的账号尚未关联居民信息，请先完成实名核验',
    en: 'Your account is not linked to a resident record yet; have it verified first',
  },
  PRIVACY_CHANGES_REQUIRED: {
    status: 400,
    'zh-CN': '请至少填写一项要更正的信息',
    en: 'Name at least one field to correct',
  },
  PRIVACY_FIELD_NOT_FOR_KIND: {
    status: 400,
    'zh-CN': '该项不属于这类申请',
    en: 'This field does not belong to this kind of request',
  },
  PRIVACY_FIELD_REPEATED: { status: 400, 'zh-CN': '同一项信息只能填写一次', en: 'Each field may be named once' },
  PRIVACY_VALUE_REQUIRED: { status: 400, 'zh-CN': '请填写更正后的内容', en: 'Give the corrected value' },
  PRIVACY_PURPOSE_REQUIRED: {
    status: 400,
    'zh-CN': '请选择要反对的处理目的',
    en: 'Choose the purpose you object to',
  },
  PRIVACY_TAG_NOT_HELD: {
    status: 400,
    'zh-CN': '您没有这个标签',
    en: 'You do not hold this tag',
  },
  PRIVACY_REQUEST_OPEN: {
    status: 409,
    'zh-CN': '您已有一份同类申请正在处理，请等待处理结果',
    en: 'A request of this kind is already being handled; wait for its outcome',
  },
  PRIVACY_REQUEST_NOT_FOUND: { status: 404, 'zh-CN': '申请不存在', en: 'No such privacy request' },
  PRIVACY_REQUEST_DECIDED: {
    status: 409,
    'zh-CN': '该申请已经处理过了',
    en: 'This request has already been decided',
  },
  PRIVACY_GROUND_REQUIRED: {
    status: 400,
    'zh-CN': '拒绝申请须说明法律依据',
    en: 'A refusal must state its legal ground',
  },
  PRIVACY_PURPOSE_REQUIRED_BY_LAW: {
    status: 409,
    'zh-CN': '该处理目的依法必须进行，不能停止，请以法律依据拒绝',
    en: 'Processing for this purpose is required by law and cannot stop; refuse the request with its legal ground',
  },
  // ---- end privacy [E] ----
  // ---- machinery [D] ----
  MACHINERY_OWNER_NOT_FOUND: { status: 404, 'zh-CN': '农机主体不存在', en: 'No such machinery owner' },
  MACHINERY_MACHINE_NOT_FOUND: { status: 404, 'zh-CN': '农机不存在', en: 'No such machine' },
  MACHINERY_DEMAND_NOT_FOUND: { status: 404, 'zh-CN': '作业需求不存在', en: 'No such demand' },
  MACHINERY_BOOKING_NOT_FOUND: { status: 404, 'zh-CN': '预约不存在', en: 'No such booking' },
  MACHINERY_RESIDENT_NOT_FOUND: {
    status: 404,
    'zh-CN': '该村没有这位居民',
    en: 'No such resident in this village',
  },
  MACHINERY_NODE_NOT_VILLAGE: {
    status: 400,
    'zh-CN': '请选择一个村（农机停放地和作业地块都以村为单位）',
    en: 'Choose a village (machines are kept and fields lie in villages)',
  },
  MACHINERY_FARMER_REQUIRED: {
    status: 400,
    'zh-CN': '请选择本村居民或填写农户姓名',
    en: 'Choose a resident of the village or give the farmer’s name',
  },
  MACHINERY_WINDOW_INVALID: {
    status: 400,
    'zh-CN': '作业日期不正确：结束日期不能早于开始日期或今天，且不超过 120 天',
    en: 'Wrong dates: the end may not be before the start or today, and the window is at most 120 days',
  },
  MACHINERY_NOT_VILLAGER: {
    status: 409,
    'zh-CN': '您的账号尚未关联到某个村的居民信息，请联系村里的网格员',
    en: 'Your account is not linked to a resident of a village; ask your grid worker',
  },
  MACHINERY_DEMAND_NOT_OPEN: {
    status: 409,
    'zh-CN': '该需求已预约、完成或取消',
    en: 'This demand is already booked, done or cancelled',
  },
  MACHINERY_BOOKING_NOT_OPEN: {
    status: 409,
    'zh-CN': '该预约已完成或取消',
    en: 'This booking is already done or cancelled',
  },
  MACHINERY_MACHINE_UNAVAILABLE: {
    status: 409,
    'zh-CN': '该农机正在检修或已停用',
    en: 'This machine is under maintenance or retired',
  },
  MACHINERY_TYPE_MISMATCH: {
    status: 409,
    'zh-CN': '农机类型与需求不符',
    en: 'The machine is not of the type the demand asks for',
  },
  MACHINERY_TOO_FAR: {
    status: 409,
    'zh-CN': '农机只在本村和本镇内共享',
    en: 'Machines are shared only within the village and its town',
  },
  MACHINERY_OUTSIDE_WINDOW: {
    status: 400,
    'zh-CN': '预约日期须在需求的作业日期之内',
    en: 'The booking must lie within the demand’s date window',
  },
  MACHINERY_CAPACITY_SHORT: {
    status: 400,
    'zh-CN': '天数不够：按该农机每天的作业能力完不成这块地',
    en: 'Too few days: at its daily capacity the machine cannot finish the field',
  },
  MACHINERY_BOOKING_OVERLAP: {
    status: 409,
    'zh-CN': '该农机在这些日期已有预约，不能重复预约',
    en: 'The machine is already booked on some of these days',
  },
  MACHINERY_AREA_DONE_TOO_LARGE: {
    status: 400,
    'zh-CN': '完成面积不能超过预约面积（{area} 亩）',
    en: 'The area done cannot exceed the area booked ({area} mu)',
  },
  // ---- end machinery [D] ----
} as const satisfies Record<string, ErrorDef>;

export type ErrorCode = keyof typeof ERRORS;

export type AppErrorDetails = {
  field?: string;
  params?: Record<string, string | number>;
  /** Internal cause, logged and never shown. */
  cause?: unknown;
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly params: Record<string, string | number>;
  readonly status: number;

  constructor(code: ErrorCode, details: AppErrorDetails = {}) {
    super(`${code}${details.field ? ` (${details.field})` : ''}`, { cause: details.cause });
    this.name = 'AppError';
    this.code = code;
    this.field = details.field;
    this.params = details.params ?? {};
    this.status = ERRORS[code].status;
  }
}

const FIELD_LABELS: Record<string, { 'zh-CN': string; en: string }> = {};

/** Lets modules name their fields in messages (e.g. `name` → 名称). */
export function registerFieldLabels(labels: Record<string, { 'zh-CN': string; en: string }>): void {
  Object.assign(FIELD_LABELS, labels);
}

export function fieldLabel(field: string, locale: Locale): string {
  const leaf = field.split('.').pop() ?? field;
  return FIELD_LABELS[field]?.[locale] ?? FIELD_LABELS[leaf]?.[locale] ?? field;
}

export function formatError(code: ErrorCode, locale: Locale, params: Record<string, string | number> = {}): string {
  const template: string = ERRORS[code][locale];
  return template.replace(/\{(\w+)\}/g, (_, key: string) => (key in params ? String(params[key]) : `{${key}}`));
}

/** Picks zh-CN unless the client clearly prefers English (cookie first, then Accept-Language). */
export function pickLocale(cookieLang: string | undefined, acceptLanguage: string | undefined): Locale {
  if (cookieLang === 'en' || cookieLang === 'zh-CN') return cookieLang;
  if (!acceptLanguage) return 'zh-CN';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}
