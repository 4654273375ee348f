/**
 * The topics of CCHC outreach (tuyên truyền cải cách hành chính), as the yearly outreach plan lists them.
 * Keys are stable identifiers used in post files, plans and reports; labels are what staff and citizens read.
 */
export const topics = {
  'chinh-sach-ke-hoach': 'Chủ trương, chính sách, kế hoạch cải cách hành chính',
  'chi-so-cchc': 'Chỉ số cải cách hành chính (PAR INDEX) và sự hài lòng của người dân (SIPAS)',
  'the-che': 'Cải cách thể chế',
  'tthc': 'Cải cách thủ tục hành chính',
  'cap-nhat-tthc': 'Cập nhật thủ tục hành chính mới ban hành, sửa đổi, bổ sung, bãi bỏ',
  'to-chuc-bo-may': 'Cải cách tổ chức bộ máy hành chính nhà nước',
  'cong-vu': 'Cải cách chế độ công vụ',
  'tai-chinh-cong': 'Cải cách tài chính công',
  'mot-cua': 'Bộ phận một cửa, Trung tâm Phục vụ hành chính công',
  'chinh-phu-so': 'Chính phủ điện tử, chính phủ số và dịch vụ công trực tuyến',
  'mo-hinh-hay': 'Mô hình hay, cách làm hiệu quả',
  'phan-anh-kien-nghi': 'Đường dây nóng, cách gửi phản ánh, kiến nghị',
  'nha-nuoc-va-nhan-dan': 'Quan hệ giữa Nhà nước và người dân: quyền và nghĩa vụ',
} as const;

export type TopicKey = keyof typeof topics;

export const topicKeys = Object.keys(topics) as TopicKey[];

export function isTopicKey(value: string): value is TopicKey {
  return Object.hasOwn(topics, value);
}

/** The Vietnamese label of a topic; the key itself when unknown (an old row after a topic was renamed). */
export function topicLabel(key: string): string {
  return isTopicKey(key) ? topics[key] : key;
}
