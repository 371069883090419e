-- 002_admin.sql -- base data (typed code tables), imports, activation codes,
-- legacy-code mapping.

-- A kind of base data (车辆, 驾驶员 ...).  Its extra attributes are listed in
-- base_field and stored in base_item.a1..a8, so an admin adds a kind
-- without code changes; lookups go by (kind_id, code), indexed.
CREATE TABLE base_kind (
  id         INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code       VARCHAR(32)  NOT NULL,
  name       VARCHAR(64)  NOT NULL,
  sort       INT          NOT NULL DEFAULT 0,
  builtin    TINYINT      NOT NULL DEFAULT 0,
  active     TINYINT      NOT NULL DEFAULT 1,
  created_at DATETIME     NOT NULL,
  updated_at DATETIME     NOT NULL,
  UNIQUE KEY uk_kind_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE base_field (
  id        INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind_id   INT UNSIGNED NOT NULL,
  col       TINYINT UNSIGNED NOT NULL COMMENT '1..8: base_item.a<col>',
  code      VARCHAR(32)  NOT NULL,
  label     VARCHAR(64)  NOT NULL,
  type      ENUM('text','integer','decimal') NOT NULL DEFAULT 'text',
  required  TINYINT      NOT NULL DEFAULT 0,
  UNIQUE KEY uk_field_col (kind_id, col),
  UNIQUE KEY uk_field_code (kind_id, code),
  CONSTRAINT fk_field_kind FOREIGN KEY (kind_id) REFERENCES base_kind (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE base_item (
  id          INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind_id     INT UNSIGNED NOT NULL,
  code        VARCHAR(64)  NOT NULL,
  name        VARCHAR(100) NOT NULL,
  org_unit_id INT UNSIGNED NULL,
  a1 VARCHAR(200) NULL, a2 VARCHAR(200) NULL, a3 VARCHAR(200) NULL, a4 VARCHAR(200) NULL,
  a5 VARCHAR(200) NULL, a6 VARCHAR(200) NULL, a7 VARCHAR(200) NULL, a8 VARCHAR(200) NULL,
  active      TINYINT      NOT NULL DEFAULT 1,
  created_at  DATETIME     NOT NULL,
  updated_at  DATETIME     NOT NULL,
  version     INT UNSIGNED NOT NULL DEFAULT 1,
  UNIQUE KEY uk_item_code (kind_id, code),
  KEY ix_item_unit (kind_id, org_unit_id),
  CONSTRAINT fk_item_kind FOREIGN KEY (kind_id) REFERENCES base_kind (id),
  CONSTRAINT fk_item_unit FOREIGN KEY (org_unit_id) REFERENCES org_unit (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO base_kind (code, name, sort, builtin, created_at, updated_at) VALUES
  ('vehicle',  '车辆',       10, 1, UTC_TIMESTAMP(), UTC_TIMESTAMP()),
  ('driver',   '驾驶员',     20, 1, UTC_TIMESTAMP(), UTC_TIMESTAMP()),
  ('location', '楼宇/地点',  30, 1, UTC_TIMESTAMP(), UTC_TIMESTAMP()),
  ('meter',    '计量表',     40, 1, UTC_TIMESTAMP(), UTC_TIMESTAMP()),
  ('canteen',  '食堂',       50, 1, UTC_TIMESTAMP(), UTC_TIMESTAMP()),
  ('service',  '服务类别',   60, 1, UTC_TIMESTAMP(), UTC_TIMESTAMP());

INSERT INTO base_field (kind_id, col, code, label, type, required)
SELECT k.id, f.col, f.code, f.label, f.type, f.req FROM base_kind k JOIN (
  SELECT 'vehicle' kc, 1 col, 'plate' code, '车牌号' label, 'text' type, 1 req UNION ALL
  SELECT 'vehicle', 2, 'model', '车型', 'text', 0 UNION ALL
  SELECT 'vehicle', 3, 'seats', '座位数', 'integer', 0 UNION ALL
  SELECT 'vehicle', 4, 'load_t', '载重(吨)', 'decimal', 0 UNION ALL
  SELECT 'driver', 1, 'licence', '驾驶证号', 'text', 0 UNION ALL
  SELECT 'driver', 2, 'class', '准驾车型', 'text', 0 UNION ALL
  SELECT 'driver', 3, 'phone', '联系电话', 'text', 0 UNION ALL
  SELECT 'location', 1, 'address', '地址', 'text', 0 UNION ALL
  SELECT 'location', 2, 'area', '面积(平方米)', 'decimal', 0 UNION ALL
  SELECT 'location', 3, 'floors', '层数', 'integer', 0 UNION ALL
  SELECT 'meter', 1, 'type', '表类型', 'text', 1 UNION ALL
  SELECT 'meter', 2, 'factor', '倍率', 'decimal', 0 UNION ALL
  SELECT 'meter', 3, 'place', '安装位置', 'text', 0 UNION ALL
  SELECT 'canteen', 1, 'place', '地点', 'text', 0 UNION ALL
  SELECT 'canteen', 2, 'seats', '餐位数', 'integer', 0 UNION ALL
  SELECT 'service', 1, 'note', '说明', 'text', 0
) f ON f.kc = k.code;

-- an uploaded file between its dry run and its confirmation
CREATE TABLE import_batch (
  id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind       VARCHAR(40)  NOT NULL COMMENT 'units | users | base:<kind code>',
  filename   VARCHAR(255) NOT NULL,
  sha256     CHAR(64)     NOT NULL,
  encoding   VARCHAR(16)  NOT NULL,
  content    MEDIUMBLOB   NOT NULL,
  user_id    INT UNSIGNED NOT NULL,
  status     ENUM('checked','applied') NOT NULL DEFAULT 'checked',
  n_rows     INT NOT NULL DEFAULT 0,
  n_new      INT NOT NULL DEFAULT 0,
  n_updated  INT NOT NULL DEFAULT 0,
  n_errors   INT NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL,
  applied_at DATETIME NULL,
  KEY ix_batch_user (user_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- one-time activation codes waiting to be handed out (shown as CSV/PDF slips
-- to the admin who created them); the account itself keeps only a SHA-256
CREATE TABLE activation_sheet (
  id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  batch_id   BIGINT UNSIGNED NULL,
  user_id    INT UNSIGNED NOT NULL,
  code       VARCHAR(16)  NOT NULL,
  created_by INT UNSIGNED NOT NULL,
  created_at DATETIME NOT NULL,
  expires_at DATETIME NOT NULL,
  KEY ix_sheet_batch (batch_id),
  KEY ix_sheet_user (user_id),
  CONSTRAINT fk_sheet_user FOREIGN KEY (user_id) REFERENCES app_user (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- 新旧编码对照: legacy codes mapped to the new ones during imports
CREATE TABLE code_map (
  entity     VARCHAR(40) NOT NULL COMMENT 'unit | user | base:<kind code>',
  old_code   VARCHAR(64) NOT NULL,
  new_code   VARCHAR(64) NOT NULL,
  created_at DATETIME    NOT NULL,
  PRIMARY KEY (entity, old_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
